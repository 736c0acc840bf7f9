import type { Counts, ExampleResult, Outcome, ScoreResult, Verdict } from "../core/report.ts";

/**
 * The verdict table of ARCHITECTURE.md: expected pass flag × what actually happened. An error is
 * never a known failure: a known failure is an answer that fails its checks, and an agent that
 * crashed, hung, or met a stale or corrupt recording gave no answer to judge.
 */
export function verdictFor(expectedPass: boolean, outcome: Outcome): Verdict {
  if (outcome === "error") return "regression";
  if (expectedPass) return outcome === "pass" ? "ok" : "regression";
  return outcome === "pass" ? "fixed" : "known_failure";
}

export interface Judgement {
  verdict: Verdict;
  /** Why the verdict is not what the table alone suggests, for reports. */
  note?: string;
}

/**
 * The verdict of one example, with the two ways a `pass: false` example can still fail the gate:
 * it errored instead of failing, or it fails a check its `fails` list does not name.
 */
export function judgeExample(example: { pass?: boolean | undefined; fails?: readonly string[] | undefined }, outcome: Outcome, scores: readonly ScoreResult[]): Judgement {
  // A pass_rate example expects to pass; its trials are judged by runner/trials/verdict.ts.
  const expectedPass = example.pass ?? true;
  const verdict = verdictFor(expectedPass, outcome);
  if (!expectedPass && outcome === "error") {
    return { verdict, note: "marked pass: false, but it errored instead of failing its checks; an error proves nothing about the known failure" };
  }
  if (verdict === "known_failure" && example.fails) {
    const expected = new Set(example.fails);
    // Every judge of an example answers to the one check name `judge`.
    const other = scores.filter((s) => !s.pass && !expected.has(s.name.startsWith("judge:") ? "judge" : s.name)).map((s) => s.name);
    if (other.length) {
      return { verdict: "regression", note: `known failure now fails for another reason: ${other.join(", ")} failed, but fails lists only ${example.fails.join(", ")}` };
    }
  }
  return { verdict };
}

export function countResults(results: readonly ExampleResult[]): Counts {
  const counts: Counts = { total: 0, ok: 0, regression: 0, fixed: 0, known_failure: 0, passed: 0, failed: 0, errored: 0 };
  for (const r of results) {
    counts.total++;
    counts[r.verdict]++;
    if (r.outcome === "pass") counts.passed++;
    else if (r.outcome === "fail") counts.failed++;
    else counts.errored++;
  }
  return counts;
}

export interface GateDecision {
  passed: boolean;
  exit_code: 0 | 1;
  reason: string;
}

/**
 * Exit 1 when an example broke its pass flag (expected to pass and did not, or a known failure that
 * errored instead of failing); under --strict, also when a known failure now passes.
 */
export function decideGate(counts: Counts, strict: boolean): GateDecision {
  if (counts.total === 0) return { passed: true, exit_code: 0, reason: "this shard holds no examples" };
  if (counts.regression > 0) return { passed: false, exit_code: 1, reason: `${counts.regression} regression(s): example(s) that broke their pass flag` };
  if (strict && counts.fixed > 0) return { passed: false, exit_code: 1, reason: `${counts.fixed} example(s) marked pass: false now pass; flip their flag to pass: true (--strict)` };
  const fixed = counts.fixed > 0 ? `; ${counts.fixed} known failure(s) now pass: consider flipping their flag` : "";
  return { passed: true, exit_code: 0, reason: `every example expected to pass passed${fixed}` };
}
