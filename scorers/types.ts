import type { AgentOutput } from "../core/agent.ts";
import type { Example } from "../core/dataset.ts";
import type { ScoreResult } from "../core/report.ts";
import type { Span } from "../core/trace.ts";

/** Everything a scorer may look at: what the agent answered, what it did, and what was expected. */
export interface ScorerInput {
  /** null when the agent errored before answering. */
  readonly output: AgentOutput | null;
  readonly spans: readonly Span[];
  readonly example: Example;
}

/** Returns null when the example does not set this scorer's expectation (absent or empty). */
export type Scorer = (input: ScorerInput) => ScoreResult | null;

/** The reason text scorers give when there is no answer to read. */
export const NO_OUTPUT_REASON = "no output (the agent errored)";

export function noOutput(name: string, details?: Record<string, unknown>): ScoreResult {
  return { name, pass: false, score: 0, reason: NO_OUTPUT_REASON, ...(details ? { details } : {}) };
}
