import { createServer, type IncomingMessage } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OTLP_FILE, anyValue, exportOtlp, toOtlpJson, tracesUrl, type OtlpSpan } from "./otlp.ts";
import { PLANTED_EMAIL, PLANTED_KEY, sampleReport } from "./testing/sample-report.ts";

const attr = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;

describe("toOtlpJson", () => {
  const request = toOtlpJson(sampleReport());
  const spans = request.resourceSpans[0]!.scopeSpans[0]!.spans;

  it("emits one trace per example with well-formed ids and parent links", () => {
    expect(spans).toHaveLength(5 + 2 + 4);
    const traces = new Set(spans.map((s) => s.traceId));
    expect(traces.size).toBe(3);
    for (const s of spans) {
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
    }
    const ids = new Set(spans.map((s) => s.spanId));
    expect(ids.size).toBe(spans.length);
    const roots = spans.filter((s) => s.parentSpanId === undefined);
    expect(roots.map((s) => s.name)).toEqual(["agent_run:admin_chat", "agent_run:admin_chat", "enrich-two"]);
    for (const s of spans.filter((x) => x.parentSpanId !== undefined)) {
      const parent = spans.find((p) => p.spanId === s.parentSpanId)!;
      expect(parent.traceId).toBe(s.traceId);
    }
  });

  it("uses nanosecond strings from the run start, CLIENT kind for LLM calls and status 2 on errors", () => {
    const [root, llm, , failedTool] = spans;
    expect(root!.startTimeUnixNano).toBe("1795255200000200000"); // 2026-11-21T10:00:00.000Z is 1795255200000 ms; + 0.2 ms
    expect(llm!.startTimeUnixNano).toBe("1795255200001250000");
    expect(BigInt(llm!.endTimeUnixNano) - BigInt(llm!.startTimeUnixNano)).toBe(10_500_000n);
    expect(llm!.kind).toBe(3);
    expect(root!.kind).toBe(1);
    expect(failedTool!.status).toEqual({ code: 2, message: "ToolError: syntax error at or near SELEC" });
    expect(llm!.status).toEqual({ code: 0 });
  });

  it("maps attributes to AnyValue, recursively, dropping nulls", () => {
    const llm = spans[1]!;
    expect(attr(llm, "gen_ai.request.model")).toEqual({ stringValue: "gpt-4o-mini" });
    expect(attr(llm, "gen_ai.usage.input_tokens")).toEqual({ intValue: "150" });
    expect(attr(llm, "evalgate.cost_usd")).toEqual({ doubleValue: 0.0001 });
    expect(attr(llm, "evalgate.recorded")).toEqual({ boolValue: true });
    expect(attr(llm, "evalgate.span.kind")).toEqual({ stringValue: "llm" });
    expect(anyValue({ a: [1, null, "x"], b: null })).toEqual({
      kvlistValue: { values: [{ key: "a", value: { arrayValue: { values: [{ intValue: "1" }, { stringValue: "x" }] } } }] },
    });
  });

  it("is deterministic, and distinct for a different run", () => {
    expect(JSON.stringify(toOtlpJson(sampleReport()))).toBe(JSON.stringify(request));
    const later = sampleReport();
    later.started_at = "2026-11-22T10:00:00.000Z";
    expect(toOtlpJson(later).resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId).not.toBe(spans[0]!.traceId);
  });

  it("describes the run on the resource", () => {
    const resource = request.resourceSpans[0]!.resource.attributes;
    expect(resource).toContainEqual({ key: "service.name", value: { stringValue: "evalgate" } });
    expect(resource).toContainEqual({ key: "vcs.ref.head.revision", value: { stringValue: "0123456789abcdef0123456789abcdef01234567" } });
  });
});

describe("tracesUrl", () => {
  it("appends /v1/traces once", () => {
    expect(tracesUrl("http://127.0.0.1:4318")).toBe("http://127.0.0.1:4318/v1/traces");
    expect(tracesUrl("http://127.0.0.1:4318/")).toBe("http://127.0.0.1:4318/v1/traces");
    expect(tracesUrl("http://127.0.0.1:4318/v1/traces")).toBe("http://127.0.0.1:4318/v1/traces");
  });
});

describe("exportOtlp", () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  async function tempDir() {
    const dir = await mkdtemp(join(tmpdir(), "evalgate-otlp-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  async function collector(status: number, delayMs = 0) {
    const received: Array<{ url: string; headers: IncomingMessage["headers"]; body: string }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        setTimeout(() => res.writeHead(status, { "content-type": "application/json" }).end("{}"), delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
  }

  it("writes the redacted file and POSTs the same JSON to <endpoint>/v1/traces", async () => {
    const dir = await tempDir();
    const sink = await collector(200);
    const lines: string[] = [];
    const result = await exportOtlp(sampleReport(), { outDir: dir, endpoint: sink.url, headers: { authorization: "Bearer test" }, redact: ["SELEC"], log: (l) => lines.push(l) });
    expect(result).toMatchObject({ posted: true, status: 200, spans: 11, file: join(dir, OTLP_FILE) });
    const written = await readFile(join(dir, OTLP_FILE), "utf8");
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.url).toBe("/v1/traces");
    expect(sink.received[0]!.headers["content-type"]).toBe("application/json");
    expect(sink.received[0]!.headers.authorization).toBe("Bearer test");
    expect(sink.received[0]!.body).toBe(written);
    for (const secret of [PLANTED_EMAIL, PLANTED_KEY, "SELEC "]) expect(written).not.toContain(secret);
    expect(lines.join("\n")).not.toContain("Bearer test");
  });

  it("fails open: an error status, a dead port or a slow collector still leave the file", async () => {
    const dir = await tempDir();
    const refusing = await collector(503);
    const r1 = await exportOtlp(sampleReport(), { outDir: dir, endpoint: refusing.url, log: () => {} });
    expect(r1).toMatchObject({ posted: false, status: 503 });
    expect(r1.error).toContain("answered 503");

    const closed = await collector(200);
    await cleanup.pop()!();
    const r2 = await exportOtlp(sampleReport(), { outDir: dir, endpoint: closed.url, log: () => {} });
    expect(r2.posted).toBe(false);
    expect(r2.error).toMatch(/could not POST/);

    const slow = await collector(200, 2_000);
    const started = Date.now();
    const r3 = await exportOtlp(sampleReport(), { outDir: dir, endpoint: slow.url, timeoutMs: 200, log: () => {} });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(r3.error).toContain("no answer within 200 ms");
    expect(r3.file).toBe(join(dir, OTLP_FILE));
  });

  it("without an endpoint only writes the file", async () => {
    const dir = await tempDir();
    const result = await exportOtlp(sampleReport(), { outDir: dir, log: () => {} });
    expect(result).toEqual({ posted: false, spans: 11, file: join(dir, OTLP_FILE) });
  });
});

describe("otlp-traces.json in pieces", () => {
  it("is exactly JSON.stringify(toOtlpJson(report)), span count included", async () => {
    const { otlpJsonChunks, toOtlpJson } = await import("./otlp.ts");
    const { makeReport, makeExample } = await import("../reports/test-fixtures.ts");
    for (const report of [sampleReport(), makeReport([]), makeReport([makeExample({ id: "a" }), makeExample({ id: "b" })])]) {
      const counted = { spans: 0 };
      const text = [...otlpJsonChunks(report, null, counted)].join("");
      expect(text).toBe(JSON.stringify(toOtlpJson(report)));
      expect(counted.spans).toBe(toOtlpJson(report).resourceSpans[0]!.scopeSpans[0]!.spans.length);
    }
  });
});

describe("the otlp reporter makes each example's spans as its result comes in", () => {
  it("writes the same file as exporting the finished report, and makes a row again once an upload added a trace_url", async () => {
    const { otlpReporter, otlpJsonChunks } = await import("./otlp.ts");
    for (const uploaded of [false, true]) {
      const report = sampleReport();
      for (const [i, example] of report.examples.entries()) example.started_at ??= new Date(Date.parse(report.started_at) + i * 7).toISOString();
      const outDir = await mkdtemp(join(tmpdir(), "evalgate-otlp-stream-"));
      const reporter = otlpReporter({ preRedacted: false, redact: ["PLANTED"], log: () => {} })({ outDir, rootDir: outDir, env: {}, stdout: process.stdout });
      reporter.onEvent!({ type: "run-start", run: report.run, started_at: report.started_at, planned: report.examples.length, datasets: report.datasets });
      for (const example of report.examples) reporter.onEvent!({ type: "example-end", result: example });
      if (uploaded) report.examples[1]!.trace_url = "https://smith.example/r/1";
      await reporter.onEnd!(report);
      const written = await readFile(join(outDir, OTLP_FILE), "utf8");
      const { createRedactor, redactExample } = await import("../core/redact.ts");
      const redactor = createRedactor({ patterns: ["PLANTED"], secrets: [] });
      const whole = [...otlpJsonChunks(report, (e) => redactExample(e, redactor), { spans: 0 })].join("");
      expect(written).toBe(whole);
      expect(written).not.toContain("PLANTED");
      await rm(outDir, { recursive: true, force: true });
    }
  });
});

