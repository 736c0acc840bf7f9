import { readFileSync } from "node:fs";

/**
 * Where a pull-request comment goes, read from the environment GitHub Actions sets up. Nothing
 * here touches the network: a job that cannot comment learns why before any request is made, in
 * words that name the variable to set, so the gate can print it and carry on.
 */

export interface PullRequestContext {
  ok: true;
  /** No trailing slash; GitHub Enterprise Server sets GITHUB_API_URL to its own /api/v3. */
  apiUrl: string;
  token: string;
  owner: string;
  repo: string;
  pullNumber: number;
}

export type PullRequestContextResult = PullRequestContext | { ok: false; reason: string };

const DEFAULT_API_URL = "https://api.github.com";

/** Events that never belong to one pull request, so a missing number there is not a misconfiguration. */
const EVENTS_WITHOUT_A_PULL_REQUEST = new Set(["push", "merge_group", "schedule", "workflow_dispatch", "release"]);

export function readPullRequestContext(env: NodeJS.ProcessEnv): PullRequestContextResult {
  // The pull request comes first: on a push there is nothing to comment on, and complaining
  // about a missing token there would send someone to fix the wrong thing.
  const pull = readPullNumber(env);
  if (!pull.ok) return pull;

  const problems: string[] = [];
  const token = nonEmpty(env.GITHUB_TOKEN) ?? nonEmpty(env.GH_TOKEN);
  if (token === undefined) {
    problems.push("GITHUB_TOKEN (or GH_TOKEN) is not set: pass `GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` in the step's `env:` and give the workflow `permissions: pull-requests: write`");
  }
  const repository = readRepository(env.GITHUB_REPOSITORY);
  if (!repository.ok) problems.push(repository.reason);
  const apiUrl = readApiUrl(env.GITHUB_API_URL);
  if (!apiUrl.ok) problems.push(apiUrl.reason);

  // Every missing piece at once, so a workflow is fixed in one edit rather than one per run.
  if (problems.length > 0 || token === undefined || !repository.ok || !apiUrl.ok) {
    return { ok: false, reason: `cannot comment on pull request #${pull.number}: ${problems.join("; ")}` };
  }
  return { ok: true, apiUrl: apiUrl.url, token, owner: repository.owner, repo: repository.repo, pullNumber: pull.number };
}

function readPullNumber(env: NodeJS.ProcessEnv): { ok: true; number: number } | { ok: false; reason: string } {
  const eventName = nonEmpty(env.GITHUB_EVENT_NAME);
  if (eventName !== undefined && EVENTS_WITHOUT_A_PULL_REQUEST.has(eventName)) {
    return { ok: false, reason: noPullRequest(eventName) };
  }
  const eventPath = nonEmpty(env.GITHUB_EVENT_PATH);
  if (eventPath === undefined) {
    return { ok: false, reason: "GITHUB_EVENT_PATH is not set: this is not a GitHub Actions job, so there is no pull request to comment on (run the gate in a workflow triggered by `pull_request`)" };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(eventPath, "utf8"));
  } catch (error) {
    const why = error instanceof SyntaxError ? "it is not JSON" : ((error as NodeJS.ErrnoException).code ?? String(error));
    return { ok: false, reason: `cannot read the event payload at GITHUB_EVENT_PATH (${eventPath}): ${why}` };
  }
  if (!isObject(payload)) return { ok: false, reason: `the event payload at GITHUB_EVENT_PATH (${eventPath}) is not a JSON object` };
  // Actions does not always set GITHUB_EVENT_NAME for local runners (act, tests); the payload
  // of a merge queue run still says what it is.
  if (isObject(payload.merge_group)) return { ok: false, reason: noPullRequest("merge_group") };

  const issue = isObject(payload.issue) ? payload.issue : undefined;
  if (issue !== undefined && !isObject(payload.pull_request) && !("pull_request" in issue)) {
    return { ok: false, reason: `the ${eventName ?? "issue_comment"} event is on issue #${String(issue.number)}, not on a pull request: there is no comparison to post there` };
  }
  const candidates = [isObject(payload.pull_request) ? payload.pull_request.number : undefined, payload.number, issue?.number];
  const number = candidates.find((n): n is number => Number.isSafeInteger(n) && (n as number) > 0);
  if (number === undefined) {
    return { ok: false, reason: `no pull request number in the ${eventName ?? "event"} payload at GITHUB_EVENT_PATH (looked for pull_request.number, number and issue.number): trigger the workflow \`on: pull_request\`` };
  }
  return { ok: true, number };
}

function noPullRequest(eventName: string): string {
  return `this job runs on a ${eventName} event, which has no pull request to comment on: the comparison stays in the job's summary and artifacts`;
}

function readRepository(value: string | undefined): { ok: true; owner: string; repo: string } | { ok: false; reason: string } {
  const repository = nonEmpty(value);
  if (repository === undefined) return { ok: false, reason: 'GITHUB_REPOSITORY is not set: set it to "owner/name" (GitHub Actions sets it for every job)' };
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  if (!match) return { ok: false, reason: `GITHUB_REPOSITORY is ${JSON.stringify(repository)}, not "owner/name"` };
  return { ok: true, owner: match[1]!, repo: match[2]! };
}

function readApiUrl(value: string | undefined): { ok: true; url: string } | { ok: false; reason: string } {
  const raw = nonEmpty(value) ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `GITHUB_API_URL is ${JSON.stringify(raw)}, which is not a URL (unset it for github.com, or set it to https://<host>/api/v3)` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: `GITHUB_API_URL is ${JSON.stringify(raw)}: only http and https URLs can carry the token` };
  }
  // Octokit joins paths onto baseUrl as text, so a trailing slash would give "//repos/…".
  return { ok: true, url: raw.replace(/\/+$/, "") };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
