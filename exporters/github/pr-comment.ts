import { openClient } from "./client.ts";
import { describeFailure } from "./describe-failure.ts";
import { GITHUB_COMMENT_LIMIT } from "./fit-comment.ts";
import type { PullRequestContext } from "./pr-context.ts";

/**
 * Posts the comparison as ONE comment per pull request, edited on every push, found again by
 * a hidden marker. Fail-open: whatever goes wrong comes back as `{ posted: false, error }`,
 * because a comment that could not be posted must never change the gate's verdict.
 */

export const DEFAULT_MARKER = "<!-- evalgate:compare -->";

export interface StickyCommentOptions {
  context: PullRequestContext;
  body: string;
  /** Identifies evalgate's comment among the others; an HTML comment, so readers never see it. */
  marker?: string;
  /** Bound on the whole post (listing every page, then the edit or create), in ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type StickyCommentResult = { posted: true; action: "created" | "updated"; url: string } | { posted: false; error: string };

const MAX_TIMER_MS = 2_147_483_647;

interface ListedComment {
  id: number;
  body?: string | undefined;
  user?: { type?: string } | null | undefined;
}

export async function postStickyComment(options: StickyCommentOptions): Promise<StickyCommentResult> {
  const marker = options.marker ?? DEFAULT_MARKER;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { apiUrl, owner, repo, pullNumber } = options.context;
  // setTimeout turns NaN, negatives and anything past 2^31-1 ms into 1 ms: a typo must not
  // quietly make every post time out.
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS) {
    return { posted: false, error: `timeoutMs must be between 1 and ${MAX_TIMER_MS} ms, not ${timeoutMs}` };
  }
  let step = "preparing the comment";
  // A timer of our own rather than AbortSignal.timeout: that one is unref'd, and a hung
  // request on an idle event loop would then let the process exit with the post unsettled.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    if (marker.trim() === "") return { posted: false, error: "the marker is empty, so every comment would match it" };
    const body = options.body.includes(marker) ? options.body : `${marker}\n${options.body}`;
    if (body.length > GITHUB_COMMENT_LIMIT) {
      return { posted: false, error: `the comment is ${body.length} characters and GitHub takes at most ${GITHUB_COMMENT_LIMIT}: fit it with fitComment first` };
    }
    const octokit = openClient({ context: options.context, signal: controller.signal, ...(options.fetch && { fetch: options.fetch }) });
    const work = (async (): Promise<StickyCommentResult> => {
      step = "listing the pull request's comments";
      const existing = await findMarked(octokit, { owner, repo, issue_number: pullNumber }, marker);
      if (existing !== undefined) {
        step = `editing comment ${existing.id}`;
        const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
        return { posted: true, action: "updated", url: data.html_url };
      }
      step = "creating the comment";
      const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
      return { posted: true, action: "created", url: data.html_url };
    })();
    // The race keeps the bound even with an injected fetch that ignores its signal.
    return await Promise.race([work, aborted(controller.signal)]);
  } catch (error) {
    return { posted: false, error: describeFailure(error, { step, apiUrl, timedOut: controller.signal.aborted, timeoutMs }) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The marked comment to edit. A bot's is preferred (a person may have quoted the marker while
 * editing their own comment, and that one cannot be edited with the workflow's token); among
 * equals, the oldest, so a duplicate left by a past race never takes over. Paging stops at the
 * first bot-authored match.
 */
async function findMarked(octokit: ReturnType<typeof openClient>, where: { owner: string; repo: string; issue_number: number }, marker: string): Promise<ListedComment | undefined> {
  const marked = await octokit.paginate(octokit.rest.issues.listComments, { ...where, per_page: 100 }, (response, done) => {
    const page = (response.data as ListedComment[]).filter((c) => c.body?.includes(marker) === true);
    if (page.some(isBot)) done();
    return page;
  });
  return marked.find(isBot) ?? marked[0];
}

function isBot(comment: ListedComment): boolean {
  return comment.user?.type === "Bot";
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("timed out")), { once: true }));
}
