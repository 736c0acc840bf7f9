import { describe, expect, it } from "vitest";
import { ATTR } from "../core/trace.ts";
import { describeScorers, scoreExample, scorers } from "./table.ts";
import { input, span, withRawExpect } from "./test-helpers.ts";
import type { Scorer } from "./types.ts";

describe("scorer table", () => {
  it("runs only the scorers whose expectations are set, in table order", () => {
    const spans = [span("llm", "llm", { [ATTR.totalTokens]: 5 }), span("tool:search", "tool", { [ATTR.toolName]: "search" })];
    const results = scoreExample(input({ spans: ["tool:search"], max_steps: 3, must_contain: ["ok"], tools_called: ["search"] }, "OK", spans));
    expect(results.map((r) => r.name)).toEqual(["must_contain", "trajectory", "budgets", "spans"]);
    expect(results.every((r) => r.pass)).toBe(true);
  });

  it("returns nothing for an example with no expectations", () => {
    expect(scoreExample(input({}, "anything"))).toEqual([]);
  });

  it("every result carries its table name", () => {
    const all = input({
      must_contain: ["a"], must_not_contain: ["b"], regex: ["a"], must_not_match: ["b"],
      tools_called: ["t"], max_steps: 1, spans: ["s"], data: { k: 1 },
    }, "a", [span("s", "llm"), span("tool:t", "tool", { [ATTR.toolName]: "t" })]);
    const results = scoreExample({ ...all, output: { answer: "a", data: { k: 1 } } });
    expect(results.map((r) => r.name)).toEqual(Object.keys(scorers));
    expect(results.every((r) => r.pass)).toBe(true);
  });

  it("turns the text scorers into failures when the agent errored, leaving trace scorers to judge", () => {
    const results = scoreExample(input({ must_contain: ["a"], regex: ["a"], max_steps: 2 }, null, []));
    expect(results.map((r) => [r.name, r.pass, r.reason])).toEqual([
      ["must_contain", false, "no output (the agent errored)"],
      ["regex", false, "no output (the agent errored)"],
      ["budgets", true, "steps 0 ≤ 2"],
    ]);
  });

  it("turns a scorer that throws into a failing score instead of losing the example", () => {
    // An unvalidated `spans: "abc"` makes the spans scorer call .filter on a string.
    const results = scoreExample(withRawExpect(input({ must_contain: ["a"] }, "a"), { spans: "abc" }));
    expect(results.map((r) => [r.name, r.pass])).toEqual([["must_contain", true], ["spans", false]]);
    expect(results[1]!.reason).toMatch(/^scorer crashed: .+ \(please report this evalgate bug\)$/);
  });

  it("describes every scorer in one line for --help", () => {
    const described = describeScorers();
    // The judge is scored apart (an LLM call, runner/judge.ts), and listed last.
    expect(described.map((d) => d.name)).toEqual([...Object.keys(scorers), "judge"]);
    for (const d of described) expect(d.description).toMatch(/^\S[^\n]+$/);
  });

  it("is typed so each entry is a Scorer", () => {
    const asScorers: Record<string, Scorer> = scorers;
    expect(Object.values(asScorers).every((s) => typeof s === "function")).toBe(true);
  });
});
