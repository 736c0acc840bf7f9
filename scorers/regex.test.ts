import { describe, expect, it } from "vitest";
import { mustNotMatch } from "./must-not-match.ts";
import { regex } from "./regex.ts";
import { input, withRawExpect } from "./test-helpers.ts";

describe("regex", () => {
  it("is not applicable without patterns", () => {
    expect(regex(input({}, "x"))).toBeNull();
  });

  it("requires every pattern to match, with string or {pattern, flags} specs", () => {
    const r = regex(input({ regex: ["\\b\\d{4}\\b", { pattern: "^there", flags: "i" }] }, "There are 2607 companies"))!;
    expect(r).toMatchObject({ pass: true, score: 1 });
  });

  it("lists the patterns that did not match", () => {
    const r = regex(input({ regex: ["\\d+", { pattern: "^there" }, "euro"] }, "There are 2607 companies"))!;
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(1 / 3);
    expect(r.reason).toBe("No match: [/^there/, /euro/]");
  });

  it("is not fooled by a global flag's lastIndex", () => {
    const r = regex(input({ regex: [{ pattern: "a", flags: "g" }, { pattern: "a", flags: "g" }] }, "a"))!;
    expect(r.pass).toBe(true);
  });

  it("reports an invalid pattern instead of throwing", () => {
    const base = input({ regex: ["ok"] }, "ok");
    const r = regex(withRawExpect(base, { regex: ["(unclosed"] }))!;
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/^Invalid regex \/\(unclosed\/: /);
  });

  it("fails on missing output", () => {
    expect(regex(input({ regex: ["x"] }, null))).toMatchObject({ pass: false, reason: "no output (the agent errored)" });
  });
});

describe("must_not_match", () => {
  it("passes when nothing matches", () => {
    expect(mustNotMatch(input({ must_not_match: ["\\$\\d+"] }, "no prices here"))).toMatchObject({ pass: true, score: 1 });
  });

  it("says which pattern matched and where", () => {
    const answer = "Our plan costs $499 per seat.";
    const r = mustNotMatch(input({ must_not_match: ["\\$\\d+", "free"] }, answer))!;
    expect(r.pass).toBe(false);
    expect(r.score).toBe(0.5);
    expect(r.reason).toBe(`Forbidden pattern /\\$\\d+/ matched at ${answer.indexOf("$")}: "Our plan costs $499 per seat."`);
  });

  it("reports an invalid pattern instead of throwing", () => {
    const base = input({ must_not_match: ["ok"] }, "ok");
    const r = mustNotMatch(withRawExpect(base, { must_not_match: [{ pattern: "[", flags: "u" }] }))!;
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/^Invalid regex \/\[\/u: /);
  });
});
