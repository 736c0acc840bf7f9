import { Octokit } from "@octokit/rest";
import type { PullRequestContext } from "./pr-context.ts";

/**
 * The only module that constructs an Octokit. @octokit/rest has no retry or throttling plugin,
 * so a refused request fails at once; what is left to bound is time and where the token goes.
 */

export interface ClientOptions {
  context: Pick<PullRequestContext, "apiUrl" | "token">;
  /** Aborted when the whole post is out of time: every in-flight and later request fails at once. */
  signal: AbortSignal;
  fetch?: typeof fetch;
}

const silent = () => {};

export function openClient(options: ClientOptions): Octokit {
  return new Octokit({
    auth: options.context.token,
    baseUrl: options.context.apiUrl,
    userAgent: "evalgate",
    // Octokit logs every failed request to the console; the caller gets the same failure as a
    // value and decides what to print, so the gate's output is not doubled or reordered.
    log: { debug: silent, info: silent, warn: silent, error: silent },
    // The deadline is applied in the fetch wrapper, so it also reaches the pages pagination adds.
    request: { fetch: sameOriginFetch(options) },
  });
}

/**
 * Pagination follows the Link header the server sends, with the token attached. A proxy or a
 * misconfigured GitHub Enterprise that links elsewhere must not receive the token, so every
 * request is checked against the API's own origin before it leaves.
 */
function sameOriginFetch(options: ClientOptions): typeof fetch {
  const origin = new URL(options.context.apiUrl).origin;
  const inner = options.fetch ?? globalThis.fetch;
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).origin !== origin) {
      return Promise.reject(new OffOriginError(`refused to send the token to ${new URL(url).origin}, which is not GITHUB_API_URL (${origin})`));
    }
    const signal = init?.signal ? AbortSignal.any([init.signal, options.signal]) : options.signal;
    return inner(input, { ...init, signal });
  };
}

export class OffOriginError extends Error {
  override name = "OffOriginError";
}
