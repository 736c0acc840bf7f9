import { describe, expect, it } from "vitest";
import { TrialsConfig } from "../../core/config.ts";
import type { ExampleResult } from "../../core/report.ts";
import { foldTrials, summarizeTrials, trialsVerdict } from "./verdict.ts";

const config = TrialsConfig.parse(undefined);
const outcomes = (passes: number, k: number): ("pass" | "fail")[] => Array.from({ length: k }, (_, i) => (i < passes ? "pass" : "fail"));
const verdict = (passes: number, k: number, expected: { pass?: boolean; pass_rate?: number }, baseline: { passes: number; k: number } | null = null, strict = false) =>
  trialsVerdict(summarizeTrials(outcomes(passes, k), expected, config, baseline), strict);

describe("trials verdicts", () => {
  it("classes from the Wilson interval against the documented thresholds", () => {
    expect(summarizeTrials(outcomes(10, 10), { pass: true }, config, null).class).toBe("stable_pass");
    expect(summarizeTrials(outcomes(9, 10), { pass: true }, config, null).class).toBe("stable_pass");
    expect(summarizeTrials(outcomes(8, 10), { pass: true }, config, null).class).toBe("flaky");
    expect(summarizeTrials(outcomes(5, 10), { pass: true }, config, null).class).toBe("flaky");
    expect(summarizeTrials(outcomes(1, 10), { pass: true }, config, null).class).toBe("stable_fail");
    expect(summarizeTrials(outcomes(1, 2), { pass: true }, config, null).class).toBe("flaky");
  });

  it("expected to pass: stable pass ok, stable fail regression, flaky ok unless --strict", () => {
    expect(verdict(10, 10, { pass: true }).verdict).toBe("ok");
    expect(verdict(0, 10, { pass: true }).verdict).toBe("regression");
    expect(verdict(5, 10, { pass: true })).toMatchObject({ verdict: "ok", note: expect.stringContaining("flaky") });
    expect(verdict(5, 10, { pass: true }, null, true).verdict).toBe("regression");
  });

  it("expected to fail: a stable pass is fixed, anything else a known failure", () => {
    expect(verdict(10, 10, { pass: false }).verdict).toBe("fixed");
    expect(verdict(5, 10, { pass: false }).verdict).toBe("known_failure");
    expect(verdict(0, 10, { pass: false }).verdict).toBe("known_failure");
  });

  it("a pass rate: met is ok, wholly below is a regression, under but not significantly is flaky", () => {
    expect(verdict(8, 10, { pass_rate: 0.8 }).verdict).toBe("ok");
    expect(verdict(2, 10, { pass_rate: 0.8 }).verdict).toBe("regression");
    expect(verdict(7, 10, { pass_rate: 0.8 })).toMatchObject({ verdict: "ok", note: expect.stringContaining("not significantly") });
    expect(verdict(7, 10, { pass_rate: 0.8 }, null, true).verdict).toBe("regression");
  });

  it("a significant drop against the baseline is a regression even when the head alone looks flaky", () => {
    expect(verdict(2, 10, { pass: true }, { passes: 9, k: 10 })).toMatchObject({ verdict: "regression", note: expect.stringContaining("significant drop") });
    expect(verdict(8, 10, { pass: true }, { passes: 9, k: 10 })).toMatchObject({ verdict: "ok", note: expect.stringMatching(/inconclusive: about \d+ trials per run would tell/) });
    expect(verdict(10, 10, { pass: true }, { passes: 9, k: 10 })).toEqual({ verdict: "ok" });
  });

  it("folds k rows into one: an errored trial errors the example, usage sums over trials", () => {
    const row = (outcome: ExampleResult["outcome"], tokens: number): ExampleResult => ({
      graph: "g", dataset_version: 1, id: "e", file: "f.yaml", line: 1, column: 1, tags: [], expected_pass: true, outcome, verdict: "ok",
      duration_ms: 10, input: {}, expect: {}, output: null, scores: [], usage: { input_tokens: tokens, output_tokens: 0, total_tokens: tokens, llm_calls: 1, recorded: true }, cost_usd: 0.5, spans: [],
    });
    const folded = foldTrials([row("pass", 1), row("fail", 2), row("pass", 3)], { pass: true }, config, null, false);
    expect(folded).toMatchObject({ outcome: "fail", usage: { total_tokens: 6, llm_calls: 3 }, cost_usd: 1.5, duration_ms: 30, trials: { passes: 2, k: 3, outcomes: ["pass", "fail", "pass"] } });
    const errored = foldTrials([row("pass", 1), row("error", 2)], { pass: true }, config, null, false);
    expect(errored).toMatchObject({ outcome: "error", verdict: "regression", verdict_note: expect.stringContaining("trial 2 of 2 errored") });
  });
});
