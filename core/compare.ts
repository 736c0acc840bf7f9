import { z } from "zod";
import { Verdict } from "./report.ts";

/**
 * `evalgate compare --base <ref | report.json | out-dir>`: what a change did to each example,
 * written as `compare.json` (this schema) and `compare.md`, and shown in the PR comment and the
 * HTML report. Examples are paired by graph, dataset version and id.
 */
export const COMPARE_SCHEMA = "evalgate.compare/1";

/** One piece of a diff, as the diff library produces it: kept, added on the head side, or removed. */
export const DiffPart = z.object({
  op: z.enum(["equal", "insert", "delete"]),
  text: z.string(),
});
export type DiffPart = z.infer<typeof DiffPart>;

export const Side = z.object({
  /** Where this side came from: "git" (a ref replayed in a worktree), "report" (a saved report.json), "run" (this run). */
  source: z.enum(["git", "report", "run"]),
  /** The git ref as given, or the report file, for messages. */
  label: z.string(),
  sha: z.string().nullable(),
  branch: z.string().nullable(),
  mode: z.enum(["replay", "record", "live"]),
  /** Request fingerprints per graph (see RunInfo.request_fingerprints). */
  request_fingerprints: z.record(z.string(), z.string()),
});
export type Side = z.infer<typeof Side>;

export const UsageFigures = z.object({
  steps: z.number().int(),
  tokens: z.number().int(),
  cost_usd: z.number().nullable(),
});
export type UsageFigures = z.infer<typeof UsageFigures>;

export const CheckChange = z.object({
  name: z.string(),
  base: z.object({ pass: z.boolean(), reason: z.string() }).nullable(),
  head: z.object({ pass: z.boolean(), reason: z.string() }).nullable(),
  /** The check passed on one side and failed (or was absent) on the other. */
  flipped: z.boolean(),
});
export type CheckChange = z.infer<typeof CheckChange>;

export const RequestChange = z.object({
  /** 1-based LLM call number within the example. */
  call: z.number().int().positive(),
  status: z.enum(["same", "changed", "added", "removed"]),
  /** For "changed": what differs, as a replay miss explains it ("messages[0] (system) changed at line 3 …"). */
  explanation: z.array(z.string()),
});
export type RequestChange = z.infer<typeof RequestChange>;

export const ExampleChange = z.object({
  graph: z.string(),
  dataset_version: z.number().int(),
  id: z.string(),
  /** The head's file and line (the base's for a removed example). */
  file: z.string(),
  line: z.number().int(),
  tags: z.array(z.string()),
  status: z.enum(["changed", "unchanged", "added", "removed"]),
  base_verdict: Verdict.nullable(),
  head_verdict: Verdict.nullable(),
  /** What about it changed, for listings: "verdict", "answer", "data", "tools", "requests", "checks", "usage", "error". */
  changed: z.array(z.string()),
  checks: z.array(CheckChange),
  answer: z.object({ base: z.string().nullable(), head: z.string().nullable(), diff: z.array(DiffPart) }),
  /** Line diff of the pretty-printed output.data, or null when neither side has data or it is the same. */
  data_diff: z.array(DiffPart).nullable(),
  tools: z.object({ base: z.array(z.string()), head: z.array(z.string()) }),
  usage: z.object({ base: UsageFigures.nullable(), head: UsageFigures.nullable() }),
  requests: z.array(RequestChange),
  error: z.object({ base: z.string().nullable(), head: z.string().nullable() }),
  trace_url: z.string().optional(),
});
export type ExampleChange = z.infer<typeof ExampleChange>;

export const DatasetPresence = z.object({
  graph: z.string(),
  version: z.number().int(),
  status: z.enum(["both", "added", "removed"]),
});

export const Totals = z.object({
  examples: z.number().int(),
  steps: z.number().int(),
  tokens: z.number().int(),
  cost_usd: z.number().nullable(),
});
export type Totals = z.infer<typeof Totals>;

export const Comparison = z.object({
  schema: z.literal(COMPARE_SCHEMA),
  created_at: z.string(),
  base: Side,
  head: Side,
  /** The head's gate: a comparison never turns a red gate green. */
  gate: z.object({ passed: z.boolean(), exit_code: z.union([z.literal(0), z.literal(1)]), reason: z.string() }),
  datasets: z.array(DatasetPresence),
  counts: z.object({ changed: z.number().int(), unchanged: z.number().int(), added: z.number().int(), removed: z.number().int(), verdict_changes: z.number().int() }),
  totals: z.object({ base: Totals, head: Totals }),
  /** Every example, changed ones first (regressions first among them), then added, removed, unchanged. */
  examples: z.array(ExampleChange),
  langsmith: z.object({ experiment_url: z.string().optional() }).optional(),
});
export type Comparison = z.infer<typeof Comparison>;
