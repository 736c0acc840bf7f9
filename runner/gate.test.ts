import { describe, expect, it } from "vitest";
import type { Counts, ExampleResult, Outcome } from "../core/report.ts";
import { makeExample } from "../reports/test-fixtures.ts";
import { countResults, decideGate, judgeExample, verdictFor } from "./gate.ts";

function result(expectedPass: boolean, outcome: Outcome): ExampleResult {
  return makeExample({
    graph: "qa",
    id: `${expectedPass}-${outcome}`,
    file: "datasets/qa/v1.yaml",
    line: 1,
    column: 1,
    expected_pass: expectedPass,
    outcome,
    verdict: verdictFor(expectedPass, outcome),
    input: {},
    expect: {},
    output: null,
    scores: [],
    usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0, llm_calls: 0, recorded: true },
    cost_usd: null,
  });
}

const counts = (...results: ExampleResult[]): Counts => countResults(results);

describe("verdictFor: expected pass flag × what happened", () => {
  it.each([
    [true, "pass", "ok"],
    [true, "fail", "regression"],
    [true, "error", "regression"],
    [false, "pass", "fixed"],
    [false, "fail", "known_failure"],
    [false, "error", "regression"],
  ] as const)("pass: %s and outcome %s is %s", (expectedPass, outcome, verdict) => {
    expect(verdictFor(expectedPass, outcome)).toBe(verdict);
  });
});

describe("countResults", () => {
  it("counts verdicts and outcomes separately", () => {
    const c = counts(result(true, "pass"), result(true, "pass"), result(true, "fail"), result(true, "error"), result(false, "pass"), result(false, "fail"), result(false, "error"));
    expect(c).toEqual({ total: 7, ok: 2, regression: 3, fixed: 1, known_failure: 1, passed: 3, failed: 2, errored: 2 });
  });
});

describe("decideGate", () => {
  it("passes (exit 0) when every example expected to pass passed, known failures included", () => {
    const decision = decideGate(counts(result(true, "pass"), result(false, "fail")), false);
    expect(decision).toMatchObject({ passed: true, exit_code: 0 });
  });

  it("fails (exit 1) on a regression, whether it failed or errored", () => {
    for (const outcome of ["fail", "error"] as const) {
      const decision = decideGate(counts(result(true, "pass"), result(true, outcome)), false);
      expect(decision).toMatchObject({ passed: false, exit_code: 1 });
      expect(decision.reason).toContain("1 regression");
    }
  });

  it("words the reason so it holds for a known failure that errored too (a regression that was never expected to pass)", () => {
    const decision = decideGate(counts(result(true, "pass"), result(false, "error")), false);
    expect(decision).toMatchObject({ passed: false, exit_code: 1, reason: "1 regression(s): example(s) that broke their pass flag" });
    expect(decision.reason).not.toContain("expected to pass");
  });

  it("a known failure that now passes is fine by default, with a nudge to flip its flag", () => {
    const decision = decideGate(counts(result(true, "pass"), result(false, "pass")), false);
    expect(decision).toMatchObject({ passed: true, exit_code: 0 });
    expect(decision.reason).toContain("flipping their flag");
  });

  it("under --strict a fixed example fails the gate (exit 1)", () => {
    const decision = decideGate(counts(result(true, "pass"), result(false, "pass")), true);
    expect(decision).toMatchObject({ passed: false, exit_code: 1 });
    expect(decision.reason).toMatch(/pass: false now pass.*--strict/);
  });

  it("--strict changes nothing when nothing is fixed", () => {
    expect(decideGate(counts(result(true, "pass"), result(false, "fail")), true)).toMatchObject({ passed: true, exit_code: 0 });
    expect(decideGate(counts(result(true, "fail")), true)).toMatchObject({ passed: false, exit_code: 1 });
  });

  it("a regression is reported before a fixed example under --strict", () => {
    const decision = decideGate(counts(result(true, "fail"), result(false, "pass")), true);
    expect(decision.exit_code).toBe(1);
    expect(decision.reason).toContain("regression");
  });

  it("an empty shard passes", () => {
    expect(decideGate(counts(), true)).toMatchObject({ passed: true, exit_code: 0 });
  });
});

describe("an error is never a known failure", () => {
  it("an error fails the gate whatever the pass flag says, and says why on a known failure", () => {
    expect(verdictFor(false, "error")).toBe("regression");
    expect(verdictFor(true, "error")).toBe("regression");
    const judged = judgeExample({ pass: false }, "error", []);
    expect(judged.verdict).toBe("regression");
    expect(judged.note).toMatch(/errored instead of failing its checks/);
  });
});

describe("judgeExample: a known failure's fails list", () => {
  const fail = (name: string) => ({ name, pass: false, score: 0, reason: "x" });
  const pass = (name: string) => ({ name, pass: true, score: 1, reason: "x" });
  it("failing only the listed checks is a known failure", () => {
    expect(judgeExample({ pass: false, fails: ["must_not_contain"] }, "fail", [pass("must_contain"), fail("must_not_contain")])).toEqual({ verdict: "known_failure" });
  });
  it("failing another check is a regression naming it", () => {
    const judged = judgeExample({ pass: false, fails: ["must_not_contain"] }, "fail", [fail("must_contain"), fail("must_not_contain")]);
    expect(judged.verdict).toBe("regression");
    expect(judged.note).toBe("known failure now fails for another reason: must_contain failed, but fails lists only must_not_contain");
  });
  it("without a fails list any failing check is a known failure, and passing everything is fixed", () => {
    expect(judgeExample({ pass: false }, "fail", [fail("budgets")]).verdict).toBe("known_failure");
    expect(judgeExample({ pass: false, fails: ["budgets"] }, "pass", [pass("budgets")]).verdict).toBe("fixed");
  });
});
