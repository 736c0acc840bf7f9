import { describe, expect, it } from "vitest";
import { SYNTHETIC_ROOT_ID, exampleStartTimes, exampleTrace } from "./trace-tree.ts";
import { sampleReport } from "./testing/sample-report.ts";

const T0 = Date.parse("2026-11-21T10:00:00.000Z");

describe("exampleTrace", () => {
  it("adopts the single parentless span as root and nests the rest by parent_id, in start order", () => {
    const example = sampleReport().examples[0]!;
    const trace = exampleTrace(example, T0);
    expect(trace.key).toBe("admin_chat@v2/count-companies");
    expect(trace.root.spanId).toBe("s1");
    expect(trace.root.name).toBe("agent_run:admin_chat");
    expect(trace.root.attributes).toMatchObject({ "evalgate.answer": "There are 2607 companies.", "evalgate.example.verdict": "ok", "evalgate.example.id": "count-companies" });
    expect(trace.nodes.map((n) => [n.spanId, n.parentSpanId])).toEqual([["s1", null], ["s2", "s1"], ["s3", "s1"], ["s4", "s1"], ["s5", "s1"]]);
    const llm = trace.nodes[1]!;
    expect(llm.startUs).toBe(T0 * 1000 + 1250);
    expect(llm.endUs - llm.startUs).toBe(10_500);
    expect(trace.nodes[3]).toMatchObject({ status: "error", error: "ToolError: syntax error at or near SELEC" });
  });

  it("synthesizes an example root above several parentless spans, carrying the example error", () => {
    const example = sampleReport().examples[2]!;
    const trace = exampleTrace(example, T0);
    expect(trace.root).toMatchObject({ spanId: SYNTHETIC_ROOT_ID, name: "enrich-two", kind: "example", status: "error", error: `UnexpectedToolCall: tool lookup was not recorded for jane.doe@example.com` });
    expect(trace.root.endUs - trace.root.startUs).toBe(30_000);
    expect(trace.nodes.map((n) => [n.spanId, n.parentSpanId])).toEqual([[SYNTHETIC_ROOT_ID, null], ["s1", SYNTHETIC_ROOT_ID], ["s2", SYNTHETIC_ROOT_ID], ["s3", "s2"]]);
  });

  it("never lets a child start before its parent, and keeps spans whose parent is missing or cyclic", () => {
    const example = sampleReport().examples[1]!;
    example.spans = [
      { id: "a", parent_id: null, name: "root", kind: "agent", start_ms: 5, duration_ms: 10, status: "ok", attributes: {} },
      { id: "b", parent_id: "a", name: "early", kind: "llm", start_ms: 1, duration_ms: 2, status: "ok", attributes: {} },
      { id: "c", parent_id: "d", name: "cycle-1", kind: "chain", start_ms: 6, duration_ms: 1, status: "ok", attributes: {} },
      { id: "d", parent_id: "c", name: "cycle-2", kind: "chain", start_ms: 7, duration_ms: 1, status: "ok", attributes: {} },
    ];
    const trace = exampleTrace(example, T0);
    const byId = new Map(trace.nodes.map((n) => [n.spanId, n]));
    expect(trace.nodes).toHaveLength(4);
    expect(byId.get("b")!.startUs).toBe(byId.get("a")!.startUs);
    expect(byId.get("c")!.parentSpanId).toBe("a");
    expect(byId.get("d")!.parentSpanId).toBe("c");
  });

  it("gives an example without spans a bare root", () => {
    const example = { ...sampleReport().examples[1]!, spans: [] };
    const trace = exampleTrace(example, T0);
    expect(trace.nodes).toEqual([trace.root]);
    expect(trace.root.kind).toBe("example");
  });
});

describe("exampleStartTimes", () => {
  it("lays examples on run.concurrency lanes from started_at, deterministically", () => {
    const report = sampleReport(); // concurrency 2; durations 41.5, 20, 30
    const starts = exampleStartTimes(report);
    expect(starts.get("admin_chat@v2/count-companies")).toBe(T0);
    expect(starts.get("admin_chat@v2/top-industries")).toBe(T0);
    expect(starts.get("pipeline@v1/enrich-two")).toBe(T0 + 20); // lane 2 frees first
    report.run.concurrency = 1;
    expect(exampleStartTimes(report).get("pipeline@v1/enrich-two")).toBe(T0 + 61.5);
  });

  it("prefers an example's own started_at when the report carries one", () => {
    const report = sampleReport();
    Object.assign(report.examples[2]!, { started_at: "2026-11-21T10:00:05.000Z" });
    expect(exampleStartTimes(report).get("pipeline@v1/enrich-two")).toBe(T0 + 5000);
  });
});
