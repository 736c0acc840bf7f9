import type { Counts, ExampleResult, Outcome, Verdict } from "../core/report.ts";

/**
 * Errors that say the fixtures, not the agent, are out of date: the example could not be judged,
 * so it fails the gate even when a failure was expected (a stale known failure proves nothing).
 */
export const UNJUDGEABLE = new Set(["recording_miss", "unexpected_tool_call", "endpoint_error"]);

/** The verdict table of ARCHITECTURE.md: expected pass flag × what actually happened. */
export function verdictFor(expectedPass: boolean, outcome: Outcome, errorKind?: string): Verdict {
  if (errorKind !== undefined && UNJUDGEABLE.has(errorKind)) return "regression";
  if (expectedPass) return outcome === "pass" ? "ok" : "regression";
  return outcome === "pass" ? "fixed" : "known_failure";
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

/** Exit 1 when an example expected to pass did not; under --strict, also when a known failure now passes. */
export function decideGate(counts: Counts, strict: boolean): GateDecision {
  if (counts.total === 0) return { passed: true, exit_code: 0, reason: "this shard holds no examples" };
  if (counts.regression > 0) return { passed: false, exit_code: 1, reason: `${counts.regression} regression(s): example(s) expected to pass did not` };
  if (strict && counts.fixed > 0) return { passed: false, exit_code: 1, reason: `${counts.fixed} example(s) marked pass: false now pass; flip their flag to pass: true (--strict)` };
  const fixed = counts.fixed > 0 ? `; ${counts.fixed} known failure(s) now pass: consider flipping their flag` : "";
  return { passed: true, exit_code: 0, reason: `every example expected to pass passed${fixed}` };
}
