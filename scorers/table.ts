import type { CheckName, Example } from "../core/dataset.ts";
import type { ScoreResult } from "../core/report.ts";
import { budgets } from "./budgets.ts";
import { data } from "./data.ts";
import { mustContain } from "./must-contain.ts";
import { mustNotContain } from "./must-not-contain.ts";
import { mustNotMatch } from "./must-not-match.ts";
import { regex } from "./regex.ts";
import { spans } from "./spans.ts";
import { trajectory } from "./trajectory.ts";
import type { Scorer, ScorerInput } from "./types.ts";

/** Every scorer, in the order results appear in reports. */
export const scorers = {
  must_contain: mustContain,
  must_not_contain: mustNotContain,
  regex,
  must_not_match: mustNotMatch,
  trajectory,
  budgets,
  spans,
  data,
} as const satisfies Record<Exclude<CheckName, "judge">, Scorer>;

export type ScorerName = CheckName;

const descriptions: Record<ScorerName, string> = {
  must_contain: "every phrase of expect.must_contain appears in the answer (case-insensitive, NFKC-normalised by default; see expect.match)",
  must_not_contain: "no phrase of expect.must_not_contain appears in the answer; reports where the first one is",
  regex: "every pattern of expect.regex matches the answer",
  must_not_match: "no pattern of expect.must_not_match matches the answer",
  trajectory: "tool calls: expect.tools_called were made, in expect.tool_order, and none of expect.tools_not_called",
  budgets: "expect.max_steps (LLM calls), expect.max_tokens and expect.max_cost_usd over the run's LLM spans",
  spans: "every span name in expect.spans was emitted",
  data: "expect.data is contained in the agent's structured output.data (subset of keys, list elements in any order)",
  judge: "an LLM (config judge) grades the answer against expect.judge.rubric; its call is recorded and replayed like the agent's",
};

export interface ScorerDescription {
  readonly name: ScorerName;
  readonly description: string;
}

/** For `--help`: one line per scorer, in report order. */
export function describeScorers(): ScorerDescription[] {
  return ([...Object.keys(scorers), "judge"] as ScorerName[]).map((name) => ({ name, description: descriptions[name] }));
}

/**
 * Runs every scorer whose expectation the example sets, in table order. A scorer that throws is a
 * bug in evalgate, but it becomes a failing score rather than losing the whole example.
 */
export function scoreExample(input: ScorerInput): ScoreResult[] {
  const results: ScoreResult[] = [];
  for (const [name, scorer] of Object.entries(scorers) as [Exclude<ScorerName, "judge">, Scorer][]) {
    try {
      const result = scorer(input);
      if (result !== null) results.push(result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ name, pass: false, score: 0, reason: `scorer crashed: ${message} (please report this evalgate bug)` });
    }
  }
  return results;
}

/**
 * The checks an example sets: the scorers that would run on it. Every scorer decides from the
 * example alone whether it applies (it returns null otherwise), so asking them with no output is
 * exact, and a new scorer is counted without anyone updating a list.
 */
export function checksSetBy(example: Example): CheckName[] {
  const sync = (Object.entries(scorers) as [CheckName, Scorer][]).flatMap(([name, scorer]) => (scorer({ output: null, spans: [], example }) === null ? [] : [name]));
  // The judge is asynchronous (an LLM call), so runner/judge.ts scores it after these.
  return example.expect.judge === undefined ? sync : [...sync, "judge"];
}
