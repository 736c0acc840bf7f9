import { syncBuiltinESMExports } from "node:module";
import { BatchInterceptor } from "@mswjs/interceptors";
import { ClientRequestInterceptor } from "@mswjs/interceptors/ClientRequest";
import { FetchInterceptor } from "@mswjs/interceptors/fetch";
import type { Mode } from "../core/recording.ts";

/**
 * Hermetic by construction: every outbound HTTP request of the process (global fetch, undici via
 * fetch, node:http(s)) goes through here while an example runs. An OpenAI-compatible call from any
 * client the agent built itself is served by that example's LLM transport, exactly like `ctx.llm`'s
 * (same keying, same miss explanation, recorded in record mode); in replay, anything else fails the
 * example with the host and path named. Requests made outside an example (evalgate's own uploads)
 * pass untouched. The example is found through the tracer's AsyncLocalStorage, so concurrent
 * examples each get their own recording.
 */

export interface NetworkScope {
  readonly mode: Mode;
  /** The example's LLM transport. */
  readonly llmFetch: typeof fetch;
  /** host or host:port values replay lets through (eval.config.ts `replay.allow_hosts`). */
  readonly allowHosts: readonly string[];
  /** Called for a request replay refused; the example fails with it. */
  refuse(what: string): void;
}

/**
 * Set on the requests evalgate's own transport forwards in record and live mode: the interceptor
 * sees those too, and must let them out instead of handing them back to the transport.
 */
export const FORWARDED_HEADER = "x-evalgate-forwarded";

/** OpenAI-compatible endpoints, whatever host or base path the client was given. */
const LLM_PATH = /\/(chat\/completions|completions|responses|embeddings)$/;

let installed = false;
let activeScope: () => NetworkScope | null = () => null;

export function guardNetwork(scopeOf: () => NetworkScope | null): void {
  activeScope = scopeOf;
  if (installed) return;
  installed = true;
  const interceptor = new BatchInterceptor({ name: "evalgate-network-guard", interceptors: [new ClientRequestInterceptor(), new FetchInterceptor()] });
  withoutHeaderRecording(() => interceptor.apply());
  // The interceptor patches node:http's CommonJS exports; an ES module's `import { get } from
  // "node:http"` reads a separate snapshot of them that only this call brings up to date.
  syncBuiltinESMExports();
  interceptor.on("request", async ({ request, controller }) => {
    const scope = activeScope();
    if (!scope || request.headers.has(FORWARDED_HEADER)) return;
    const url = new URL(request.url);
    if (LLM_PATH.test(url.pathname) && request.method === "POST") {
      const body = await request.clone().text();
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => (headers[name] = value));
      try {
        controller.respondWith(await scope.llmFetch(request.url, { method: request.method, headers, body }));
      } catch (error) {
        const reason = error instanceof Error ? error : new Error(String(error));
        // A replay miss fails the example however the agent takes it (the transport keeps it). As a
        // network error it was retried by the agent's own client (LangChain's default: 6 times with
        // backoff) until the example timed out; a 400 marked not to retry is given up on at once.
        if (scope.mode === "replay") controller.respondWith(refusal(reason.message));
        else controller.errorWith(reason);
      }
      return;
    }
    if (scope.mode !== "replay" || scope.allowHosts.includes(url.host) || scope.allowHosts.includes(url.hostname)) return;
    const what = `network call to ${url.host}${url.pathname} during replay`;
    scope.refuse(what);
    controller.errorWith(new TypeError(`evalgate: ${what}`));
  });
}

/** The answer to an LLM call replay cannot serve: a client error the OpenAI SDK and LangChain do not retry. */
function refusal(message: string): Response {
  const body = JSON.stringify({ error: { message: `evalgate: ${message}`, type: "invalid_request_error", code: "evalgate_replay_miss" } });
  return new Response(body, { status: 400, headers: { "content-type": "application/json", "x-should-retry": "false" } });
}

/**
 * Applying the ClientRequest interceptor swaps the global Headers, Request and Response for proxies
 * and wraps Headers.prototype.set/append/delete, to keep the letter case of header names for the
 * node:http responses it fakes. Every Headers operation of the process then goes through a proxy:
 * the OpenAI SDK builds a dozen headers per call, and the proxies were about a twentieth of a
 * replay's time. Header case carries no meaning in HTTP and nothing evalgate answers depends on it,
 * so the originals are put back; the interception itself (http.request, fetch) stays.
 */
function withoutHeaderRecording(apply: () => void): void {
  const globals = { Headers: globalThis.Headers, Request: globalThis.Request, Response: globalThis.Response };
  const { set, append, delete: remove } = Headers.prototype;
  apply();
  Object.assign(globalThis, globals);
  Object.assign(globals.Headers.prototype, { set, append, delete: remove });
}
