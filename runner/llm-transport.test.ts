import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECORDING_FORMAT, type Mode, type RecordedExchange, type RecordingFile } from "../core/recording.ts";
import { ATTR, type Span } from "../core/trace.ts";
import { createLlmTransport, RecordingMiss, type LlmTransport, type TransportOptions } from "./llm-transport.ts";
import { requestKey, type CanonicalRequest } from "./request-key.ts";
import { Tracer } from "./tracer.ts";

const REPLAY_BASE = "http://replay.invalid/v1";
const MODEL = "gpt-4o-mini";
const SYSTEM = "You are terse.";
const RECORDED_AT = "2025-03-04T05:06:07.000Z";
const RERECORD = "pnpm eval --record --graph qa --dataset-version 1 --example ex-1";

/** The body ChatOpenAI sends for a system + user prompt (see the ChatOpenAI wire reference, B.1). */
function chatRequest(question: string, patch: Record<string, unknown> = {}): CanonicalRequest {
  return {
    method: "POST",
    path: "/chat/completions",
    body: {
      model: MODEL,
      temperature: 0,
      stream: false,
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: question },
      ],
      ...patch,
    },
  };
}

function completion(content: string, usage = { prompt_tokens: 21, completion_tokens: 3 }) {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_741_064_767,
    model: `${MODEL}-2024-07-18`,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function exchange(req: CanonicalRequest, answer: string, latency_ms = 321, usage?: { prompt_tokens: number; completion_tokens: number }): RecordedExchange {
  return {
    key: requestKey(req),
    request: { method: req.method, path: req.path, body: req.body },
    response: { status: 200, content_type: "application/json", body: completion(answer, usage) },
    latency_ms,
  };
}

function recording(exchanges: RecordedExchange[]): RecordingFile {
  return { format: RECORDING_FORMAT, graph: "qa", dataset_version: 1, example: "ex-1", source: "hand-written for tests", recorded_at: RECORDED_AT, exchanges };
}

interface Harness {
  transport: LlmTransport;
  tracer: Tracer;
  llm: ChatOpenAI;
  priced: Parameters<TransportOptions["price"]>[0][];
  ask: (question: string) => Promise<string>;
  llmSpans: () => Span[];
}

function harness(opts: { mode?: Mode; recording?: RecordingFile | null; recordingProblem?: string | null; baseURL?: string; apiKey?: string; llm?: Partial<ConstructorParameters<typeof ChatOpenAI>[0]> } = {}): Harness {
  const tracer = new Tracer();
  const priced: Harness["priced"] = [];
  const baseURL = opts.baseURL ?? REPLAY_BASE;
  const apiKey = opts.apiKey ?? "evalgate-replay-placeholder";
  const transport = createLlmTransport({
    mode: opts.mode ?? "replay",
    baseURL,
    apiKey,
    recording: opts.recording === undefined ? null : opts.recording,
    recordingProblem: opts.recordingProblem ?? null,
    recordingFile: "datasets/qa/recordings/v1/ex-1.json",
    exampleRef: "qa@v1/ex-1",
    rerecordCommand: RERECORD,
    tracer,
    price: (call) => {
      priced.push(call);
      return 0.0042;
    },
  });
  const llm = new ChatOpenAI({ model: MODEL, temperature: 0, apiKey, maxRetries: 0, configuration: { baseURL, fetch: transport.fetch }, ...opts.llm });
  const ask = async (question: string) => {
    const reply = await tracer.span("agent_run:qa", "agent", {}, () => llm.invoke([new SystemMessage(SYSTEM), new HumanMessage(question)]));
    return String(reply.content);
  };
  return { transport, tracer, llm, priced, ask, llmSpans: () => tracer.spans.filter((s) => s.kind === "llm") };
}

describe("replay through a real ChatOpenAI", () => {
  it("serves the recorded answer and puts the recorded usage and latency on the LLM span", async () => {
    const h = harness({ recording: recording([exchange(chatRequest("2+2?"), "4", 321, { prompt_tokens: 21, completion_tokens: 1 })]) });
    const reply = await h.tracer.span("agent_run:qa", "agent", {}, () => h.llm.invoke([new SystemMessage(SYSTEM), new HumanMessage("2+2?")]));

    expect(reply.content).toBe("4");
    expect(reply.usage_metadata).toMatchObject({ input_tokens: 21, output_tokens: 1, total_tokens: 22 });
    expect(h.transport.miss).toBeNull();

    const [root, span] = h.tracer.spans;
    expect(h.llmSpans()).toHaveLength(1);
    expect(span).toMatchObject({ kind: "llm", name: `chat ${MODEL}`, parent_id: root!.id, status: "ok" });
    expect(span!.attributes).toMatchObject({
      [ATTR.system]: "openai",
      [ATTR.model]: MODEL,
      [ATTR.responseModel]: `${MODEL}-2024-07-18`,
      [ATTR.inputTokens]: 21,
      [ATTR.outputTokens]: 1,
      [ATTR.totalTokens]: 22,
      [ATTR.completion]: "4",
      [ATTR.finishReason]: ["stop"],
      [ATTR.recorded]: true,
      [ATTR.latencyMs]: 321,
      [ATTR.recordingKey]: requestKey(chatRequest("2+2?")),
      [ATTR.costUsd]: 0.0042,
      "evalgate.llm.call_index": 1,
    });
    expect(span!.attributes[ATTR.prompt]).toEqual([
      { role: "system", content: SYSTEM },
      { role: "user", content: "2+2?" },
    ]);
  });

  it("prices a replayed call at the recording's time, so the cost is reproducible", async () => {
    const h = harness({ recording: recording([exchange(chatRequest("2+2?"), "4", 5, { prompt_tokens: 100, completion_tokens: 7 })]) });
    await h.ask("2+2?");
    expect(h.priced).toHaveLength(1);
    expect(h.priced[0]).toMatchObject({ model: MODEL, responseModel: `${MODEL}-2024-07-18`, inputTokens: 100, outputTokens: 7 });
    expect(h.priced[0]!.at.toISOString()).toBe(RECORDED_AT);
  });

  it("consumes recordings of identical requests in order, then repeats the last", async () => {
    const h = harness({ recording: recording([exchange(chatRequest("pick one"), "first"), exchange(chatRequest("pick one"), "second")]) });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await h.ask("pick one"));
    expect(answers).toEqual(["first", "second", "second"]);
    expect(h.llmSpans().map((s) => s.attributes["evalgate.llm.call_index"])).toEqual([1, 2, 3]);
    expect(h.transport.miss).toBeNull();
  });

  it("matches by request, not by position: calls in another order get their own answers", async () => {
    const h = harness({ recording: recording([exchange(chatRequest("a?"), "A"), exchange(chatRequest("b?"), "B")]) });
    const answers = await h.tracer.span("root", "agent", {}, () => Promise.all(["b?", "a?"].map((q) => h.llm.invoke([new SystemMessage(SYSTEM), new HumanMessage(q)]))));
    expect(answers.map((a) => a.content)).toEqual(["B", "A"]);
  });

  it("a changed prompt is a miss that explains itself, even though LangChain wraps the thrown error", async () => {
    const h = harness({ recording: recording([exchange(chatRequest("2+2?"), "4")]) });
    const thrown = await h.ask("3+3?").then(
      () => null,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(Error);

    const miss = h.transport.miss;
    expect(miss).toBeInstanceOf(RecordingMiss);
    expect(miss!.message).toContain("LLM call #1 of qa@v1/ex-1 has no recording");
    expect(miss!.message).toContain(`request key ${requestKey(chatRequest("3+3?")).slice(0, 12)}`);
    expect(miss!.message).toContain("Nearest recording is call #1 in datasets/qa/recordings/v1/ex-1.json");
    expect(miss!.message).toMatch(/messages\[1\] \(user\) changed at line 1:\s+recorded: "2\+2\?"\s+now:\s+"3\+3\?"/);
    expect(miss!.hint).toContain(RERECORD);
    // What reaches the agent is the SDK's "Connection error." wrapper; only transport.miss keeps the explanation.
    expect(thrown).not.toBe(miss);

    const [span] = h.llmSpans();
    expect(span).toMatchObject({ status: "error" });
    expect(span!.error).toContain("RecordingMiss");
  });

  it("keeps the first miss, and still records it when the agent catches the error and carries on", async () => {
    const h = harness({ recording: recording([exchange(chatRequest("2+2?"), "4")]) });
    await h.ask("first miss").catch(() => "swallowed");
    await h.ask("second miss").catch(() => "swallowed");
    expect(await h.ask("2+2?")).toBe("4");
    expect(h.transport.miss!.message).toContain("LLM call #1 of qa@v1/ex-1");
    expect(h.transport.miss!.message).toContain('now:      "first miss"');
  });

  it("explains a changed sampling parameter", async () => {
    const h = harness({ recording: recording([exchange(chatRequest("2+2?"), "4")]), llm: { temperature: 0.5 } });
    await h.ask("2+2?").catch(() => {});
    expect(h.transport.miss!.message).toMatch(/temperature: recorded "?0"?, now "?0\.5"?/);
  });

  it("never misses on an identical request, however often it comes", async () => {
    const h = harness({ recording: recording([exchange(chatRequest("q"), "a")]) });
    for (let i = 0; i < 4; i++) expect(await h.ask("q")).toBe("a");
    expect(h.transport.miss).toBeNull();
  });

  it("without a recording file, says why and where, and how to record it", async () => {
    const h = harness({ recording: null, recordingProblem: "no recording file" });
    await h.ask("2+2?").catch(() => {});
    expect(h.transport.miss!.message).toContain("no recording file (datasets/qa/recordings/v1/ex-1.json)");
    expect(h.transport.miss!.hint).toBe(`re-record only this example: ${RERECORD}`);
  });

  it("with an invalid recording file, passes the parse problem on", async () => {
    const h = harness({ recording: null, recordingProblem: "recording file is invalid: exchanges.0.key: Invalid string" });
    await h.ask("2+2?").catch(() => {});
    expect(h.transport.miss!.message).toContain("recording file is invalid: exchanges.0.key");
  });

  it("replays a recorded error status as an HTTP error and marks the span failed", async () => {
    const failing: RecordedExchange = { ...exchange(chatRequest("2+2?"), "unused"), response: { status: 429, content_type: "application/json", body: { error: { message: "rate limited", type: "rate_limit" } } } };
    const h = harness({ recording: recording([failing]) });
    await expect(h.ask("2+2?")).rejects.toThrow(/429|rate limited/);
    expect(h.transport.miss).toBeNull();
    expect(h.llmSpans()[0]).toMatchObject({ status: "error", error: "Error: HTTP 429" });
  });
});

describe("record mode against a local OpenAI-compatible server", () => {
  const API_KEY = "sk-test-0123-SECRET";
  const seen: { url: string; headers: IncomingHttpHeaders; body: any }[] = [];
  let server: Server;
  let baseURL: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => (raw += c));
      req.on("end", () => {
        const body = JSON.parse(raw);
        seen.push({ url: req.url ?? "", headers: req.headers, body });
        const question = String(body.messages.at(-1).content);
        if (question.includes("fail please")) {
          res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "upstream exploded" } }));
          return;
        }
        // Echo the prompt back: a response can leak the key as easily as a request.
        setTimeout(() => res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(completion(`you said: ${question}`, { prompt_tokens: 30, completion_tokens: 9 }))), 20);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("forwards the call, captures the exchange without headers, and scrubs the key even from prompt and answer", async () => {
    seen.length = 0;
    const h = harness({ mode: "record", baseURL, apiKey: API_KEY });
    const answer = await h.ask(`my config says apiKey=${API_KEY}; 2+2?`);

    // the real endpoint was called, with the key
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe("/v1/chat/completions");
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);

    expect(h.transport.captured).toHaveLength(1);
    const [ex] = h.transport.captured;
    expect(ex!.request).toMatchObject({ method: "POST", path: "/chat/completions" });
    expect(ex!.response).toMatchObject({ status: 200, content_type: "application/json" });
    const json = JSON.stringify(h.transport.captured);
    expect(json).not.toContain(API_KEY);
    expect(json.toLowerCase()).not.toContain("authorization");
    expect(json.toLowerCase()).not.toContain("bearer");
    expect(json).toContain("apiKey=[REDACTED]");
    expect(Object.keys(ex!)).toEqual(expect.arrayContaining(["key", "request", "response", "latency_ms"]));
    expect(Object.keys(ex!.request).sort()).toEqual(["body", "method", "path"]);
    expect(answer).not.toContain(API_KEY);

    const [span] = h.llmSpans();
    expect(span!.attributes).toMatchObject({ [ATTR.recorded]: false, [ATTR.inputTokens]: 30, [ATTR.outputTokens]: 9, [ATTR.latencyMs]: ex!.latency_ms });
    expect(ex!.latency_ms).toBeGreaterThanOrEqual(15);
    expect(JSON.stringify(h.tracer.spans)).not.toContain(`Bearer ${API_KEY}`);
    expect(h.transport.endpointFailures).toEqual([]);
  });

  it("what it captures replays offline to the same answer", async () => {
    const rec = harness({ mode: "record", baseURL, apiKey: API_KEY });
    const live = await rec.ask("capital of France?");
    const captured = [...rec.transport.captured];
    expect(captured[0]!.key).toBe(requestKey({ method: captured[0]!.request.method, path: captured[0]!.request.path, body: captured[0]!.request.body }));

    const before = seen.length;
    const replay = harness({ recording: recording(captured) });
    expect(await replay.ask("capital of France?")).toBe(live);
    expect(seen.length).toBe(before);
    expect(replay.llmSpans()[0]!.attributes[ATTR.latencyMs]).toBe(captured[0]!.latency_ms);
  });

  it("reports an endpoint error status as an endpoint failure, and still captures it", async () => {
    const h = harness({ mode: "record", baseURL, apiKey: API_KEY });
    await expect(h.ask("fail please")).rejects.toThrow();
    expect(h.transport.endpointFailures).toEqual(["call #1: HTTP 500 (upstream exploded)"]);
    expect(h.transport.captured[0]!.response.status).toBe(500);
    expect(h.llmSpans()[0]).toMatchObject({ status: "error" });
  });

  it("reports an unreachable endpoint as an endpoint failure", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const h = harness({ mode: "record", baseURL: `http://127.0.0.1:${port}/v1`, apiKey: API_KEY });
    await expect(h.ask("anyone there?")).rejects.toThrow();
    expect(h.transport.endpointFailures).toHaveLength(1);
    expect(h.transport.endpointFailures[0]).toMatch(/^call #1: /);
    expect(h.transport.captured).toEqual([]);
  });
});
