import { describe, expect, it } from "vitest";
import { mustNotContain } from "./must-not-contain.ts";
import { input } from "./test-helpers.ts";

describe("must_not_contain", () => {
  it("is not applicable when nothing is forbidden", () => {
    expect(mustNotContain(input({}, "guaranteed"))).toBeNull();
  });

  it("passes when no forbidden phrase appears", () => {
    const r = mustNotContain(input({ must_not_contain: ["guaranteed", "100%"] }, "Results vary."))!;
    expect(r).toMatchObject({ pass: true, score: 1, reason: "none of 2 forbidden phrases present" });
  });

  it("says which phrase appears, at what offset, with an excerpt around it", () => {
    const answer = "We reviewed the pipeline carefully and the results are guaranteed to improve next quarter.";
    const r = mustNotContain(input({ must_not_contain: ["Guaranteed", "refund"] }, answer))!;
    const offset = answer.indexOf("guaranteed");
    expect(r.pass).toBe(false);
    expect(r.score).toBe(0.5);
    expect(r.reason).toBe(`Forbidden "Guaranteed" at ${offset}: "…the results are guaranteed to improve next…"`);
  });

  it("reports offsets into the original answer when normalisation changed its length (curly quotes)", () => {
    // The ellipsis becomes "...", the spaces collapse and the curly apostrophe folds to ASCII, so the
    // normalised text is shifted against the original: an offset taken from it would be wrong.
    const answer = "Honestly\u2026    this   one\u2019s a sure thing, I promise.";
    const r = mustNotContain(input({ must_not_contain: ["one's a sure thing"] }, answer))!;
    const original = answer.indexOf("one\u2019s");
    expect(r.pass).toBe(false);
    expect(r.details?.found).toEqual([
      { phrase: "one's a sure thing", offset: original, occurrences: 1, excerpt: expect.stringContaining("one\u2019s a sure thing") },
    ]);
    expect(r.reason).toContain(`at ${original}:`);
    expect(answer.slice(original).startsWith("one\u2019s a sure thing")).toBe(true);
  });

  it("counts repeated occurrences", () => {
    const r = mustNotContain(input({ must_not_contain: ["spam"] }, "spam, SPAM and more Spam"))!;
    expect(r.reason).toBe('Forbidden "spam" at 0: "spam, SPAM and more Spam" (3 times)');
  });

  it("fails when the agent produced no output and something is forbidden", () => {
    expect(mustNotContain(input({ must_not_contain: ["x"] }, null))).toMatchObject({ pass: false, reason: "no output (the agent errored)" });
  });
});
