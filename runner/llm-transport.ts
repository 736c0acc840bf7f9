import { performance } from "node:perf_hooks";
import type { Mode, RecordedExchange, RecordingFile } from "../core/recording.ts";
import { ATTR, type Attributes } from "../core/trace.ts";
import { summarizeResponse } from "./llm-response.ts";
import { nearestExchange } from "./miss-explain.ts";
import { FORWARDED_HEADER } from "./network-guard.ts";
import { indexExchanges } from "./recording-store.ts";
import { parseBody, relativePath, requestKey, type CanonicalRequest } from "./request-key.ts";
import type { Tracer } from "./tracer.ts";

/** Captured at load, before any test or agent can swap the global: record/live mode's only way out. */
const networkFetch = globalThis.fetch.bind(globalThis);

export class RecordingMiss extends Error {
  override readonly name = "RecordingMiss";
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

export interface TransportOptions {
  mode: Mode;
  baseURL: string;
  /**
   * Record/live: send every call here (plus its path) instead of the URL the client used, so clients
   * the agent built itself reach the scripted replies or a --base-url endpoint too.
   */
  forwardTo?: string;
  /** Only used to call the endpoint in record/live mode, and to scrub it from anything written. */
  apiKey: string;
  /** The example's recording (replay, and record with `reuse`), or null when there is none yet. */
  recording: RecordingFile | null;
  /**
   * Record mode only: answer a call from `recording` when an unused exchange has its key, and call
   * the endpoint only for the rest (`--record --stale`). A kept exchange is the same object, byte
   * for byte: same response, same latency.
   */
  reuse?: boolean;
  /** Called for each call answered from the recording in record mode (a scripted endpoint skips its reply). */
  onKept?: (req: CanonicalRequest) => void;
  /** With `reuse`: whether a matching exchange may still be kept (false: its scripted reply was edited). */
  stillValid?: (req: CanonicalRequest, exchange: RecordedExchange) => boolean;
  /** Why there is no usable recording, when `recording` is null ("missing", or a parse problem). */
  recordingProblem: string | null;
  recordingFile: string;
  exampleRef: string;
  rerecordCommand: string;
  tracer: Tracer;
  /**
   * The recordings filter (keys, known secrets, redact.recordings): applied to every request body
   * before it is keyed and to everything a recording stores, so a filtered recording still replays.
   */
  filter?: (value: unknown) => unknown;
  /** Record/live: how often a call answered with HTTP 429 is retried after the server's Retry-After. */
  retries429?: number;
  /** Cost of one call; `at` matters for providers with time-of-day prices (replay uses the recording's time, so cost is reproducible). */
  price: (call: { model: string; responseModel: string | null; inputTokens: number; outputTokens: number; cachedInputTokens: number | null; at: Date }) => number | null;
}

export interface LlmTransport {
  readonly fetch: typeof fetch;
  /** The first replay miss: it fails the example even if LangChain wrapped or the agent caught it. */
  readonly miss: RecordingMiss | null;
  /** Exchanges made in record mode, in call order. */
  readonly captured: readonly RecordedExchange[];
  /** Record/live mode: calls the endpoint answered with an error status or not at all. */
  readonly endpointFailures: readonly string[];
  /** Replay: positions (0-based, in the file) of recorded exchanges no call consumed. */
  unusedExchanges(): number[];
  /** Record with reuse: how many captured exchanges were kept from the recording. */
  readonly kept: number;
}

/**
 * The HTTP boundary of ChatOpenAI (passed as `configuration.fetch`). Replay answers from the
 * example's recording, so request building and response parsing stay the production code paths;
 * record and live forward to the real endpoint. Every call becomes an LLM span either way.
 */
export function createLlmTransport(opts: TransportOptions): LlmTransport {
  const index = indexExchanges(opts.recording?.exchanges ?? []);
  const filter = opts.filter ?? ((value: unknown) => value);
  const consumed = new Map<string, number>();
  const captured: RecordedExchange[] = [];
  const endpointFailures: string[] = [];
  let miss: RecordingMiss | null = null;
  let calls = 0;
  let kept = 0;

  const transport = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    const req: CanonicalRequest = { method, path: relativePath(url, opts.baseURL), body: filter(parseBody(init?.body)) };
    const callIndex = calls++;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const model = typeof body.model === "string" ? body.model : "unknown";
    // An embedding is not a step of the agent loop: its own span kind, priced on its input tokens.
    const embedding = /\/embeddings$/.test(req.path);
    // One key per call, as the recording stores it (the API key scrubbed): looked up, traced and recorded.
    const key = requestKey(storedRequest(req));
    const span = opts.tracer.open(`${embedding ? "embeddings" : "chat"} ${model}`, embedding ? "embedding" : "llm", {
      [ATTR.system]: "openai",
      [ATTR.operation]: embedding ? "embeddings" : "chat",
      [ATTR.model]: model,
      [ATTR.prompt]: body.messages ?? body.input ?? null,
      "evalgate.llm.call_index": callIndex + 1,
      [ATTR.requestKey]: key,
    });
    try {
      const reused = opts.mode === "record" && opts.reuse ? reusable(req, key) : null;
      const exchange = opts.mode === "replay" ? replayed(req, key, callIndex) : reused ?? (await forwarded(req, key, url, init));
      annotate(span.attributes, exchange, opts.mode === "replay" || reused !== null);
      opts.tracer.close(span, exchange.response.status >= 400 ? new Error(`HTTP ${exchange.response.status}`) : undefined);
      const text = typeof exchange.response.body === "string" ? exchange.response.body : JSON.stringify(exchange.response.body);
      return new Response(text, { status: exchange.response.status, headers: { "content-type": exchange.response.content_type } });
    } catch (error) {
      opts.tracer.close(span, error);
      throw error;
    }
  };

  /** The request as a recording stores it (and as its key is computed): the API key scrubbed. */
  function storedRequest(req: CanonicalRequest): CanonicalRequest {
    return { method: req.method.toUpperCase(), path: req.path, body: scrub(req.body, opts.apiKey) };
  }

  function reusable(req: CanonicalRequest, key: string): RecordedExchange | null {
    const list = index.get(key);
    const n = consumed.get(key) ?? 0;
    if (!list || n >= list.length) return null;
    const exchange = list[n]!;
    if (opts.stillValid && !opts.stillValid(req, exchange)) return null;
    consumed.set(key, n + 1);
    captured.push(exchange);
    kept++;
    opts.onKept?.(req);
    return exchange;
  }

  function replayed(req: CanonicalRequest, key: string, callIndex: number): RecordedExchange {
    const list = index.get(key);
    if (list) {
      const n = consumed.get(key) ?? 0;
      consumed.set(key, n + 1);
      // Identical requests beyond the recorded count get the last answer: at temperature 0 a
      // repeated question (parallel workers asking the same thing) is answered the same way.
      return list[Math.min(n, list.length - 1)]!;
    }
    const error = explainMiss(req, key, callIndex);
    miss ??= error;
    throw error;
  }

  function explainMiss(req: CanonicalRequest, key: string, callIndex: number): RecordingMiss {
    const head = `LLM call #${callIndex + 1} of ${opts.exampleRef} has no recording (request key ${key.slice(0, 12)})`;
    const rerecord = `re-record only this example: ${opts.rerecordCommand}`;
    if (!opts.recording) {
      return new RecordingMiss(`${head}: ${opts.recordingProblem ?? "no recording file"} (${opts.recordingFile})`, rerecord);
    }
    const nearest = nearestExchange(req, opts.recording.exchanges, callIndex);
    if (!nearest) return new RecordingMiss(`${head}: ${opts.recordingFile} holds no exchanges`, rerecord);
    const what = nearest.diffs.length > 0 ? nearest.diffs.map((d) => `\n    ${d}`).join("") : "\n    (same request, but every recorded answer to it was already used)";
    return new RecordingMiss(
      `${head}. Nearest recording is call #${nearest.position + 1} in ${opts.recordingFile}; what differs:${what}`,
      `the agent's request changed since it was recorded (a prompt, tool schema or model edit makes recordings stale); ${rerecord}`,
    );
  }

  async function forwarded(req: CanonicalRequest, key: string, url: string, init: RequestInit | undefined): Promise<RecordedExchange> {
    let started = performance.now();
    let res: Response;
    try {
      const headers = new Headers(init?.headers);
      headers.set(FORWARDED_HEADER, "1");
      const target = opts.forwardTo ? `${opts.forwardTo.replace(/\/+$/, "")}${req.path}` : url;
      res = await networkFetch(target, { ...init, headers });
      // Rate limited (trials make many calls at once): wait as the server asks, a bounded number of times.
      for (let retry = 1; res.status === 429 && retry <= (opts.retries429 ?? 0); retry++) {
        await res.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, retryAfterMs(res.headers.get("retry-after"), retry)));
        started = performance.now();
        res = await networkFetch(target, { ...init, headers });
      }
    } catch (error) {
      // fetch says only "fetch failed"; why (ECONNREFUSED, a DNS failure) is in its cause.
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const why = cause ? ` (${String(cause.code ?? cause.message)})` : "";
      endpointFailures.push(`call #${captured.length + 1}: ${(error as Error).message}${why}`);
      throw error;
    }
    const contentType = res.headers.get("content-type") ?? "application/json";
    const text = await res.text();
    const request = storedRequest(req);
    const exchange: RecordedExchange = {
      // Keyed on what is stored, so a loaded file can always check its keys against its requests.
      key,
      request,
      response: { status: res.status, content_type: contentType.split(";")[0]!.trim(), body: scrub(filter(contentType.includes("json") ? parseBody(text) : text), opts.apiKey) },
      latency_ms: Math.round(performance.now() - started),
    };
    if (res.status >= 400) {
      const said = (exchange.response.body as { error?: { message?: unknown } } | null)?.error?.message;
      endpointFailures.push(`call #${captured.length + 1}: HTTP ${res.status}${typeof said === "string" ? ` (${said.slice(0, 300)})` : ""}`);
    }
    captured.push(exchange);
    return exchange;
  }

  function annotate(attrs: Attributes, exchange: RecordedExchange, recorded: boolean): void {
    const cost = (usd: number | null) => (usd === null ? null : Math.round(usd * 1e10) / 1e10);
    const summary = summarizeResponse(exchange.response.content_type, exchange.response.body);
    const input = summary.inputTokens ?? 0;
    const output = summary.outputTokens ?? 0;
    const model = String(attrs[ATTR.model]);
    Object.assign(attrs, {
      [ATTR.responseModel]: summary.model,
      [ATTR.completion]: summary.completion,
      [ATTR.finishReason]: summary.finishReasons,
      [ATTR.inputTokens]: input,
      [ATTR.outputTokens]: output,
      [ATTR.totalTokens]: input + output,
      [ATTR.costUsd]: cost(opts.price({ model, responseModel: summary.model, inputTokens: input, outputTokens: output, cachedInputTokens: summary.cachedInputTokens, at: recorded && opts.recording ? new Date(opts.recording.recorded_at) : new Date() })),
      [ATTR.latencyMs]: exchange.latency_ms,
      [ATTR.recorded]: recorded,
      [ATTR.recordingKey]: exchange.key,
      "http.response.status_code": exchange.response.status,
    });
  }

  return {
    fetch: transport as typeof fetch,
    get miss() {
      return miss;
    },
    captured,
    endpointFailures,
    get kept() {
      return kept;
    },
    unusedExchanges() {
      const unused: number[] = [];
      for (const [i, exchange] of (opts.recording?.exchanges ?? []).entries()) {
        const list = index.get(exchange.key)!;
        if (list.indexOf(exchange) >= (consumed.get(exchange.key) ?? 0)) unused.push(i);
      }
      return unused;
    },
  };
}

/** Retry-After in seconds or as an HTTP date; without one, 1 s, 2 s, 4 s…; never more than a minute. */
export function retryAfterMs(header: string | null, retry: number): number {
  const seconds = header === null ? Number.NaN : Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : header !== null && !Number.isNaN(Date.parse(header)) ? Date.parse(header) - Date.now() : 1000 * 2 ** (retry - 1);
  return Math.min(60_000, Math.max(0, ms));
}

/** Replaces the API key wherever it appears (a prompt that echoes config, an error body). */
function scrub(value: unknown, secret: string): unknown {
  if (!secret || secret.length < 8) return value;
  const text = JSON.stringify(value);
  if (!text.includes(secret)) return value;
  return JSON.parse(text.split(secret).join("[REDACTED]"));
}
