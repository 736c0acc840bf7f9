/** GitHub pull-request comment: where to post, fitting the body, posting it. Import this, never client.ts. */
export { readPullRequestContext, type PullRequestContext, type PullRequestContextResult } from "./pr-context.ts";
export { DEFAULT_CUT_NOTE, GITHUB_COMMENT_LIMIT, fitComment, type CommentSection, type FitOptions } from "./fit-comment.ts";
export { DEFAULT_MARKER, postStickyComment, type StickyCommentOptions, type StickyCommentResult } from "./pr-comment.ts";
