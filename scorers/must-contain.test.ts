import { describe, expect, it } from "vitest";
import { mustContain } from "./must-contain.ts";
import { input } from "./test-helpers.ts";

describe("must_contain", () => {
  it("is not applicable when no phrases are expected", () => {
    expect(mustContain(input({}, "anything"))).toBeNull();
    expect(mustContain(input({}, null))).toBeNull();
  });

  it("passes when every phrase is present and says so", () => {
    const r = mustContain(input({ must_contain: ["2607", "companies"] }, "There are 2607 companies."))!;
    expect(r).toMatchObject({ name: "must_contain", pass: true, score: 1, reason: "all 2 phrases present" });
  });

  it("names the missing phrases and scores the fraction present", () => {
    const r = mustContain(input({ must_contain: ["2607", "companies", "Berlin", "tech"] }, "2 600 firms in Berlin tech"))!;
    expect(r.pass).toBe(false);
    expect(r.score).toBe(0.5);
    expect(r.reason).toBe('Missing: ["2607", "companies"]');
  });

  it("matches case-insensitively by default and case-sensitively when asked", () => {
    expect(mustContain(input({ must_contain: ["2607 Companies"] }, "2607 companies"))!.pass).toBe(true);
    const strict = mustContain(input({ must_contain: ["2607 Companies"], match: { case_sensitive: true } }, "2607 companies"))!;
    expect(strict.pass).toBe(false);
  });

  it("treats NBSP and runs of whitespace as one space by default", () => {
    expect(mustContain(input({ must_contain: ["2607 companies"] }, "2607\u00A0\n companies"))!.pass).toBe(true);
  });

  it("folds curly quotes and dashes by default, but not with normalize: none", () => {
    const answer = "The CEO said \u201Cwe\u2019re hiring\u201D \u2014 twice";
    const phrases = ['"we\'re hiring" - twice'];
    expect(mustContain(input({ must_contain: phrases }, answer))!.pass).toBe(true);
    expect(mustContain(input({ must_contain: phrases, match: { normalize: "none" } }, answer))!.pass).toBe(false);
  });

  it("fails with a clear reason when the agent produced no output", () => {
    const r = mustContain(input({ must_contain: ["x"] }, null))!;
    expect(r).toMatchObject({ pass: false, score: 0, reason: "no output (the agent errored)" });
  });
});
