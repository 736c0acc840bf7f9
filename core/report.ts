import { z } from "zod";
import { Span } from "./trace.ts";

export const REPORT_SCHEMA = "evalgate.report/1";

export const Verdict = z.enum(["ok", "regression", "fixed", "known_failure"]);
export type Verdict = z.infer<typeof Verdict>;

/** What actually happened, before comparing with the expected pass flag. */
export const Outcome = z.enum(["pass", "fail", "error"]);
export type Outcome = z.infer<typeof Outcome>;

export const ScoreResult = z.object({
  /** Scorer name, such as must_contain. */
  name: z.string(),
  pass: z.boolean(),
  /** 0..1: fraction of this scorer's checks that held. */
  score: z.number().min(0).max(1),
  /** One line a reviewer can act on: "Missing: ["2607"]". */
  reason: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ScoreResult = z.infer<typeof ScoreResult>;

export const Usage = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
  llm_calls: z.number().int().nonnegative(),
  /** true when these figures were read from recordings (replay), false when measured live. */
  recorded: z.boolean(),
});
export type Usage = z.infer<typeof Usage>;

/** How an example's trials came out, and what that says (runner/trials/verdict.ts). */
export const TrialClass = z.enum(["stable_pass", "stable_fail", "flaky"]);
export type TrialClass = z.infer<typeof TrialClass>;

export const TrialsSummary = z.object({
  /** Trials run. */
  k: z.number().int().positive(),
  passes: z.number().int().nonnegative(),
  /** Outcome of each trial, in trial order. */
  outcomes: z.array(Outcome),
  /** Wilson score interval of the pass rate. */
  wilson: z.object({ low: z.number(), high: z.number(), confidence: z.number() }),
  /** Unbiased estimates from the k trials (Chen et al. 2021; Yao et al. 2024), for k = `at`. */
  pass_at_k: z.object({ at: z.number().int().positive(), value: z.number() }),
  pass_pow_k: z.object({ at: z.number().int().positive(), value: z.number() }),
  class: TrialClass,
  /** The expectation: the pass flag, or a minimum pass rate. */
  expected: z.union([z.object({ pass: z.boolean() }), z.object({ pass_rate: z.number() })]),
  /** Against a baseline run's trials of the same example (one-sided Fisher's exact test of a drop). */
  baseline: z.object({
    k: z.number().int().positive(),
    passes: z.number().int().nonnegative(),
    p_value: z.number(),
    result: z.enum(["regressed", "inconclusive", "no_drop"]),
    /** For an inconclusive drop: trials per run that would make it significant at these rates (null: more than 2,000). */
    trials_needed: z.number().int().nullable().optional(),
  }).optional(),
});
export type TrialsSummary = z.infer<typeof TrialsSummary>;

export const ExampleResult = z.object({
  graph: z.string(),
  dataset_version: z.number().int(),
  id: z.string(),
  /** Dataset file relative to the project root, and the example's line in it. */
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  tags: z.array(z.string()),
  description: z.string().optional(),
  expected_pass: z.boolean(),
  outcome: Outcome,
  verdict: Verdict,
  /** The command that re-records only this example (through the scripted replies when the dataset has them). */
  rerecord_command: z.string().optional(),
  /** Why the verdict is not what the pass flag and outcome alone suggest (a known failure that errored or fails differently). */
  verdict_note: z.string().optional(),
  error: z.object({ kind: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
  /** Wall-clock start of the example (ISO); exporters place its spans in time from it. */
  started_at: z.string().optional(),
  duration_ms: z.number(),
  input: z.record(z.string(), z.unknown()),
  /** The example's `expect` block as written (reference outputs for uploads and reviews). */
  expect: z.record(z.string(), z.unknown()),
  output: z.object({ answer: z.string(), data: z.record(z.string(), z.unknown()).optional() }).nullable(),
  scores: z.array(ScoreResult),
  usage: Usage,
  cost_usd: z.number().nonnegative().nullable(),
  spans: z.array(Span),
  trace_url: z.string().optional(),
  /** Set when the example ran more than once (--trials, `trials:`): the row's other fields are its first failing trial, or its first. */
  trials: TrialsSummary.optional(),
});
export type ExampleResult = z.infer<typeof ExampleResult>;

export const Counts = z.object({
  total: z.number().int(),
  ok: z.number().int(),
  regression: z.number().int(),
  fixed: z.number().int(),
  known_failure: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  errored: z.number().int(),
});
export type Counts = z.infer<typeof Counts>;

export const RunInfo = z.object({
  evalgate_version: z.string(),
  mode: z.enum(["replay", "record", "live"]),
  strict: z.boolean(),
  shard: z.object({ index: z.number().int(), total: z.number().int() }).nullable(),
  filters: z.record(z.string(), z.array(z.string())),
  git: z.object({ sha: z.string().nullable(), branch: z.string().nullable() }),
  config_file: z.string(),
  concurrency: z.number().int(),
  /** Worker threads that replayed the examples; absent when they ran on the main thread. */
  workers: z.number().int().positive().optional(),
  /**
   * Per graph, a hash of every request its agents sent (the request keys of each example's LLM
   * calls, in order): a prompt edit anywhere in the code changes it, and nothing else does.
   * Computed when the report is folded; empty in the run-start event.
   */
  prompt_hashes: z.record(z.string(), z.string()),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const Report = z.object({
  schema: z.literal(REPORT_SCHEMA),
  run: RunInfo,
  started_at: z.string(),
  finished_at: z.string(),
  duration_ms: z.number(),
  counts: Counts,
  usage: Usage,
  cost_usd: z.number().nonnegative().nullable(),
  gate: z.object({ passed: z.boolean(), exit_code: z.union([z.literal(0), z.literal(1)]), reason: z.string() }),
  datasets: z.array(z.object({ graph: z.string(), version: z.number().int(), file: z.string(), description: z.string(), examples: z.number().int() })),
  examples: z.array(ExampleResult),
  langsmith: z.object({
    uploaded: z.boolean(),
    /** The first experiment (a run covering several datasets makes one experiment per dataset). */
    experiment_url: z.string().optional(),
    experiment_id: z.string().optional(),
    experiments: z.array(z.object({ dataset: z.string(), experiment_id: z.string(), experiment_url: z.string().optional() })).optional(),
    error: z.string().optional(),
  }).optional(),
});
export type Report = z.infer<typeof Report>;

/**
 * What a run was planned from, the same for every shard of one plan: a fingerprint of the commit,
 * the config file, the filters and every selected example with its dataset file's contents, and
 * how many examples the whole (unsharded) selection holds. `merge` refuses shards that disagree.
 */
export interface PlanIdentity {
  fingerprint: string;
  selected: number;
}

/**
 * The run is a stream of events; the report is a fold over them. Shards emit the same events,
 * so merging shard reports is folding the concatenation of their example events.
 */
export type RunEvent =
  | { type: "run-start"; run: RunInfo; started_at: string; planned: number; datasets: Report["datasets"]; plan?: PlanIdentity }
  | { type: "example-start"; graph: string; dataset_version: number; id: string }
  | { type: "example-end"; result: ExampleResult }
  /** Replay moved to worker threads (from the start with --workers n; after a timed sample with "auto"). */
  | { type: "threads-started"; workers: number; per_thread: number }
  | { type: "run-end"; finished_at: string };
