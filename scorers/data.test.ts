import { describe, expect, it } from "vitest";
import type { Example } from "../core/dataset.ts";
import { data } from "./data.ts";

function example(expected: Record<string, unknown>): Example {
  return { id: "e", tags: [], input: {}, tools: [], expect: { must_contain: [], must_not_contain: [], regex: [], must_not_match: [], data: expected }, pass: true };
}
const run = (expected: Record<string, unknown>, actual: Record<string, unknown> | undefined) =>
  data({ output: { answer: "", ...(actual ? { data: actual } : {}) }, spans: [], example: example(expected) });

describe("data scorer", () => {
  it("is not applicable without expect.data", () => {
    expect(data({ output: { answer: "" }, spans: [], example: example({}) })).toBeNull();
  });

  it("passes on a subset: extra keys and extra list elements are fine, list order is free", () => {
    const r = run({ stages: { enrich: { created: 2, errors: ["company 43: 403"] } }, citations: ["b.ts:2", "a.ts:1"] },
      { stages: { enrich: { processed: 3, created: 2, errors: ["company 43: 403"] }, qa: {} }, citations: ["a.ts:1", "b.ts:2", "c.ts:3"], extra: true });
    expect(r).toMatchObject({ pass: true, score: 1 });
  });

  it("names the path of a wrong value and of a missing list element", () => {
    const r = run({ stages: { enrich: { created: 3 } }, citations: ["d.ts:4"] }, { stages: { enrich: { created: 2 } }, citations: ["a.ts:1"] })!;
    expect(r.pass).toBe(false);
    expect(r.reason).toContain("data.stages.enrich.created: expected 3, got 2");
    expect(r.reason).toContain('data.citations: no element matches "d.ts:4"; got ["a.ts:1"]');
    expect(r.score).toBe(0);
  });

  it("matches list elements that are objects by containment", () => {
    expect(run({ drafts: [{ contact_id: 7 }] }, { drafts: [{ contact_id: 6, subject: "a" }, { contact_id: 7, subject: "b" }] })!.pass).toBe(true);
    expect(run({ drafts: [{ contact_id: 8 }] }, { drafts: [{ contact_id: 7 }] })!.pass).toBe(false);
  });

  it("an expected empty list means the list must be empty", () => {
    expect(run({ errors: [] }, { errors: [] })!.pass).toBe(true);
    expect(run({ errors: [] }, { errors: ["company 43: 403"] })!.reason).toBe('data.errors: expected an empty list, got ["company 43: 403"]');
  });

  it("fails when the agent returned no data or errored", () => {
    expect(run({ citations: ["a"] }, undefined)!.reason).toContain("data.citations: expected a list, got nothing");
    expect(data({ output: null, spans: [], example: example({ citations: ["a"] }) })!.pass).toBe(false);
  });
});
