import { OffOriginError } from "./client.ts";

/**
 * One line a CI log can show for a comment that was not posted: which step, the HTTP status,
 * GitHub's own message, and the usual fix for the statuses a workflow setting causes.
 */

export interface FailureContext {
  /** What was being done, e.g. "listing the pull request's comments". */
  step: string;
  apiUrl: string;
  timedOut: boolean;
  timeoutMs: number;
}

const MAX_MESSAGE = 300;

export function describeFailure(error: unknown, at: FailureContext): string {
  // Checked first: octokit re-labels an aborted fetch as a status-500 error.
  if (at.timedOut) return `GitHub did not answer within ${at.timeoutMs} ms while ${at.step}; the comment was not posted`;
  const offOrigin = findCause(error, OffOriginError);
  if (offOrigin) return `not posted: ${offOrigin.message} (while ${at.step})`;

  const status = statusOf(error);
  if (status === undefined) {
    // No response at all: octokit still gives these status 500, which would send someone
    // looking at GitHub's status page instead of at the runner's network.
    return `could not reach GitHub at ${at.apiUrl} while ${at.step}: ${networkReason(error)}`;
  }
  // Octokit appends GitHub's documentation_url to the message; in a one-line CI note it is noise.
  const message = clip((error instanceof Error ? error.message : String(error)).replace(/ - https:\/\/docs\.github\.com\S*$/, ""));
  const hint = hintFor(status, error);
  return `GitHub answered ${status} while ${at.step}${message ? `: ${message}` : ""}${hint ? ` (${hint})` : ""}`;
}

/** The status of an HTTP answer; undefined when the request never got one. */
function statusOf(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const { status, response } = error as { status?: unknown; response?: unknown };
  return typeof status === "number" && response !== undefined ? status : undefined;
}

function hintFor(status: number, error: unknown): string | undefined {
  const headers = ((error as { response?: { headers?: Record<string, string | undefined> } }).response?.headers) ?? {};
  if (status === 401) return "the token was refused: check GITHUB_TOKEN";
  if ((status === 403 || status === 429) && headers["x-ratelimit-remaining"] === "0") return "rate limited; the comparison is still in the job's artifacts";
  if (status === 403) return "the token may not write comments: give the workflow `permissions: pull-requests: write` (pull requests from forks get a read-only token)";
  if (status === 404) return "no such repository or pull request for this token: check GITHUB_REPOSITORY and the event";
  if (status === 422) return "GitHub refused the body; is it over 65536 characters?";
  return undefined;
}

function networkReason(error: unknown): string {
  let current: unknown = error;
  // The useful part (ECONNREFUSED, ENOTFOUND) is a few causes deep under fetch's "fetch failed".
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return current.message.includes(code) ? clip(current.message) : `${code}${current.message ? ` (${clip(current.message)})` : ""}`;
    if (!(current.cause instanceof Error)) return clip(current.message);
    current = current.cause;
  }
  return clip(String(current));
}

function findCause<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof type) return current;
    current = current.cause;
  }
  return undefined;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE)}…` : oneLine;
}
