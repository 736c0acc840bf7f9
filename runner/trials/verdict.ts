import type { TrialsConfig } from "../../core/config.ts";
import type { ExampleResult, TrialClass, TrialsSummary, Verdict } from "../../core/report.ts";
import { fisherDropPValue, passAtK, passPowK, trialsToDetect, wilsonInterval } from "./stats.ts";

/** A previous run's trials of the same example: the baseline a drop is tested against. */
export interface BaselineTrials {
  passes: number;
  k: number;
}

export interface TrialsExpectation {
  pass?: boolean | undefined;
  pass_rate?: number | undefined;
}

/**
 * Folds an example's k trial results into one report row: the row of its first failing trial (what
 * a reviewer wants to open), or of its first, with the trials summary and the verdict that the
 * statistics support. An errored trial gave no answer, so the example errors (fail closed).
 */
export function foldTrials(results: readonly ExampleResult[], expected: TrialsExpectation, config: TrialsConfig, baseline: BaselineTrials | null, strict: boolean): ExampleResult {
  const errored = results.find((r) => r.outcome === "error");
  const shown = errored ?? results.find((r) => r.outcome === "fail") ?? results[0]!;
  const summary = summarizeTrials(results.map((r) => r.outcome), expected, config, baseline);
  const judged = errored ? { verdict: "regression" as Verdict, note: `trial ${results.indexOf(errored) + 1} of ${results.length} errored: an error proves nothing, so the trials are not judged` } : trialsVerdict(summary, strict);
  const { verdict_note: _ignored, ...row } = shown;
  return {
    ...row,
    outcome: errored ? "error" : summary.passes === summary.k ? "pass" : "fail",
    verdict: judged.verdict,
    ...(judged.note ? { verdict_note: judged.note } : {}),
    duration_ms: Math.round(results.reduce((sum, r) => sum + r.duration_ms, 0) * 1000) / 1000,
    // Tokens and cost are what all k trials spent; the rest of the row is the one trial shown.
    usage: {
      input_tokens: sum(results, (r) => r.usage.input_tokens),
      output_tokens: sum(results, (r) => r.usage.output_tokens),
      total_tokens: sum(results, (r) => r.usage.total_tokens),
      llm_calls: sum(results, (r) => r.usage.llm_calls),
      recorded: shown.usage.recorded,
    },
    cost_usd: results.some((r) => r.cost_usd === null) ? null : Math.round(sum(results, (r) => r.cost_usd!) * 1e8) / 1e8,
    trials: summary,
  };
}

const sum = (results: readonly ExampleResult[], of: (r: ExampleResult) => number) => results.reduce((total, r) => total + of(r), 0);

export function summarizeTrials(outcomes: readonly ExampleResult["outcome"][], expected: TrialsExpectation, config: TrialsConfig, baseline: BaselineTrials | null): TrialsSummary {
  const k = outcomes.length;
  const passes = outcomes.filter((o) => o === "pass").length;
  const wilson = wilsonInterval(passes, k, config.confidence);
  const at = Math.min(config.pass_k, k);
  const cls: TrialClass = wilson.low >= config.stable_pass_above ? "stable_pass" : wilson.high <= config.stable_fail_below ? "stable_fail" : "flaky";
  return {
    k,
    passes,
    outcomes: [...outcomes],
    wilson: { ...wilson, confidence: config.confidence },
    pass_at_k: { at, value: passAtK(k, passes, at) },
    pass_pow_k: { at, value: passPowK(k, passes, at) },
    class: cls,
    expected: expected.pass_rate !== undefined ? { pass_rate: expected.pass_rate } : { pass: expected.pass ?? true },
    ...(baseline ? { baseline: compareWithBaseline(baseline, { passes, k }, config.alpha) } : {}),
  };
}

function compareWithBaseline(base: BaselineTrials, head: BaselineTrials, alpha: number): NonNullable<TrialsSummary["baseline"]> {
  const p = fisherDropPValue({ passes: base.passes, trials: base.k }, { passes: head.passes, trials: head.k });
  const baseRate = base.passes / base.k;
  const headRate = head.passes / head.k;
  if (headRate >= baseRate) return { k: base.k, passes: base.passes, p_value: p, result: "no_drop" };
  if (p < alpha) return { k: base.k, passes: base.passes, p_value: p, result: "regressed" };
  return { k: base.k, passes: base.passes, p_value: p, result: "inconclusive", trials_needed: trialsToDetect(baseRate, headRate, alpha, Math.max(base.k, head.k) + 1) };
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/**
 * The gate's reading of the trials. Expected to pass (or to pass at a rate): a significant drop
 * against the baseline, or a stable failure (or an interval wholly below the rate), is a
 * regression; a merely flaky one is reported and fails only under --strict. Expected to fail: a
 * stable pass is fixed, anything else a known failure.
 */
export function trialsVerdict(t: TrialsSummary, strict: boolean): { verdict: Verdict; note?: string } {
  const counts = `${t.passes}/${t.k} trials passed (Wilson ${pct(t.wilson.confidence)}: ${pct(t.wilson.low)}–${pct(t.wilson.high)})`;
  const base = t.baseline;
  const drop = base ? ` against the baseline's ${base.passes}/${base.k} (one-sided Fisher p = ${base.p_value.toPrecision(2)})` : "";
  if ("pass" in t.expected && !t.expected.pass) {
    if (t.class === "stable_pass") return { verdict: "fixed", note: `${counts}: it passes reliably now` };
    return { verdict: "known_failure", ...(t.class === "flaky" ? { note: `${counts}: flaky, still counted as the known failure` } : {}) };
  }
  if (base?.result === "regressed") return { verdict: "regression", note: `${counts}: a significant drop${drop}` };
  const rate = "pass_rate" in t.expected ? t.expected.pass_rate : null;
  if (rate !== null) {
    if (t.wilson.high < rate) return { verdict: "regression", note: `${counts}: below the required pass rate ${pct(rate)}` };
    if (t.passes / t.k >= rate) return inconclusiveOr({ verdict: "ok", note: `${counts}: meets pass rate ${pct(rate)}` }, t, drop);
    return flaky(`${counts}: under the required ${pct(rate)}, but not significantly (more trials would tell)`, strict);
  }
  if (t.class === "stable_fail") return { verdict: "regression", note: `${counts}: fails reliably` };
  if (t.class === "flaky") return flaky(`${counts}: flaky${base?.result === "inconclusive" ? `; the drop${drop} is inconclusive${needed(base)}` : ""}`, strict);
  return inconclusiveOr({ verdict: "ok" }, t, drop);
}

function inconclusiveOr(judged: { verdict: Verdict; note?: string }, t: TrialsSummary, drop: string): { verdict: Verdict; note?: string } {
  if (t.baseline?.result !== "inconclusive") return judged;
  return { verdict: judged.verdict, note: `${judged.note ? `${judged.note}; ` : ""}dropped${drop}, inconclusive${needed(t.baseline)}` };
}

function needed(base: NonNullable<TrialsSummary["baseline"]>): string {
  return base.trials_needed ? `: about ${base.trials_needed} trials per run would tell` : ": the rates are too close to tell apart with up to 2,000 trials";
}

function flaky(note: string, strict: boolean): { verdict: Verdict; note: string } {
  return strict ? { verdict: "regression", note: `${note} (flaky fails the gate under --strict)` } : { verdict: "ok", note: `${note} (flaky is reported, and fails the gate only under --strict)` };
}
