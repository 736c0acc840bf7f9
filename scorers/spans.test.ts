import { describe, expect, it } from "vitest";
import { spans } from "./spans.ts";
import type { Span } from "../core/trace.ts";
import { input, span } from "./test-helpers.ts";

describe("spans", () => {
  const emitted = [span("agent_run:pipeline", "agent"), span("phase:discover", "phase"), span("phase:discover", "phase"), span("tool:search", "tool")];

  it("is not applicable without expected span names", () => {
    expect(spans(input({}, "x", emitted))).toBeNull();
    expect(spans(input({ spans: [] }, "x", emitted))).toBeNull();
  });

  it("passes when every named span was emitted", () => {
    expect(spans(input({ spans: ["phase:discover", "tool:search"] }, "x", emitted))).toMatchObject({ pass: true, score: 1 });
  });

  it("lists missing names and the names that were emitted", () => {
    const r = spans(input({ spans: ["phase:discover", "phase:qa", "phase:outreach"] }, "x", emitted))!;
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(1 / 3);
    expect(r.reason).toBe('Missing spans: ["phase:qa", "phase:outreach"]; emitted: ["agent_run:pipeline", "phase:discover", "tool:search"]');
  });
});

describe("span contract with shape", () => {
  // agent_run:refund_bot > retrieve > (tool:vector_retrieve, rerank > tool:rerank), worker × 3, a failed tool
  const tree = (): Span[] => {
    const at = (id: string, parent: string | null, name: string, kind: Span["kind"], extra: Partial<Span> = {}): Span => ({ id, parent_id: parent, name, kind, start_ms: 0, duration_ms: 1, status: "ok", attributes: {}, ...extra });
    return [
      at("s1", null, "agent_run:refund_bot", "agent"),
      at("s2", "s1", "retrieve", "phase", { attributes: { "retrieval.k": 3 } }),
      at("s3", "s2", "tool:vector_retrieve", "tool", { status: "error", error: "ToolError: index offline" }),
      at("s4", "s2", "rerank", "phase"),
      at("s5", "s4", "tool:rerank", "tool", { attributes: { "rerank.top1_id": "pol_courtesy_v2_draft" } }),
      at("s6", "s1", "worker:enrich_one", "worker"),
      at("s7", "s1", "worker:enrich_one", "worker"),
      at("s8", "s1", "worker:enrich_one", "worker"),
    ];
  };
  const check = (...rules: unknown[]) => spans(input({ spans: rules }, "x", tree()))!;

  it("a tree: each name the direct child of the one before", () => {
    expect(check("retrieve > rerank > tool:rerank")).toMatchObject({ pass: true });
    const r = check("agent_run:refund_bot > rerank");
    expect(r.pass).toBe(false);
    expect(r.reason).toContain('agent_run:refund_bot > rerank: no "rerank" directly under "agent_run:refund_bot" ("rerank" is under ["retrieve"])');
    expect(r.reason).toContain("Actual tree:\nagent_run:refund_bot\n  retrieve\n    tool:vector_retrieve (error)\n    rerank\n      tool:rerank\n  worker:enrich_one × 3");
  });

  it("a count: exactly n, or n+ for at least n", () => {
    expect(check("worker:enrich_one × 3", "worker:enrich_one x 2+")).toMatchObject({ pass: true });
    expect(check("worker:enrich_one × 2").reason).toContain('worker:enrich_one × 2: "worker:enrich_one" × 3, expected exactly 2');
    expect(check({ name: "tool:rerank", count: "2+" }).reason).toContain('"tool:rerank" × 1, expected at least 2');
  });

  it("a status, in the string form and the one-key map an unquoted YAML line gives", () => {
    expect(check("tool:vector_retrieve: error", { "tool:rerank": "ok" })).toMatchObject({ pass: true });
    expect(check({ "tool:rerank": "error" }).reason).toContain('tool:rerank: error: "tool:rerank" ended ok, expected an error');
    expect(check("tool:vector_retrieve: ok").reason).toContain('"tool:vector_retrieve" ended in error (ToolError: index offline), expected ok');
  });

  it("attributes, on a named span or any span, with its parent", () => {
    expect(check({ name: "tool:rerank", under: "rerank", attributes: { "rerank.top1_id": "pol_courtesy_v2_draft" } }, { attributes: { "retrieval.k": "3" } })).toMatchObject({ pass: true });
    const r = check({ name: "tool:rerank", attributes: { "rerank.top1_id": "pol_refund_v7" } });
    expect(r.pass).toBe(false);
    expect(r.reason).toContain('no "tool:rerank" has rerank.top1_id = "pol_refund_v7" (it has {rerank.top1_id: "pol_courtesy_v2_draft"})');
    expect(check({ name: "tool:rerank", under: "retrieve" }).reason).toContain('no "tool:rerank" under "retrieve"');
  });

  it("goes through the dataset schema: a rule needs a name or attributes; a bad count is refused", () => {
    expect(() => input({ spans: [{ status: "ok" }] }, "x")).toThrow(/a span rule needs a name or attributes/);
    expect(() => input({ spans: [{ name: "a", count: "many" }] }, "x")).toThrow();
  });
});
