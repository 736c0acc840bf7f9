import { z } from "zod";

/**
 * The golden-dataset file format: `datasets/<graph>/v<N>.yaml`.
 * Every object is strict so a typo in a key is reported instead of silently ignored.
 */

export const JsonObject = z.record(z.string(), z.unknown());

/** The checks an example can set, by the name reports give their scores (scorers/table.ts). */
export const CheckName = z.enum(["must_contain", "must_not_contain", "regex", "must_not_match", "trajectory", "budgets", "spans", "data", "judge"]);
export type CheckName = z.infer<typeof CheckName>;

/**
 * Node caps setTimeout at 2^31-1 ms and turns anything larger into 1 ms, which would fail every
 * example at once; an hour is far beyond any agent run a gate should wait for.
 */
export const MAX_TIMEOUT_MS = 3_600_000;

/** A JavaScript regex source that compiles (flags: none; anchor it yourself). */
const ArgRegex = z.string().min(1).superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(error as Error).message}` });
  }
});

/**
 * How a recorded call's arguments are matched, beside `args` rather than inside it, so an
 * argument whose value happens to be `{ regex: … }` is still plain data. Paths are dotted
 * (`filters.since`) into the arguments object.
 */
export const ArgsMatch = z.strictObject({
  /** exact (default): the call's arguments equal `args`; subset: every field of `args` is in the call, others may be anything. */
  args: z.enum(["exact", "subset"]).default("exact"),
  /** Fields whose value must be a string matching the regex (and are then not compared with `args`). */
  regex: z.record(z.string().min(1), ArgRegex).default({}),
  /** Fields that may be anything, or absent: timestamps, generated ids. */
  ignore: z.array(z.string().min(1)).default([]),
});
export type ArgsMatch = z.infer<typeof ArgsMatch>;

export const ToolRecording = z.strictObject({
  call: z.strictObject({
    tool: z.string().min(1),
    args: JsonObject.default({}),
    match: ArgsMatch.optional(),
  }),
  /** What the tool returned. Strings are passed through; anything else is JSON-encoded for the agent. */
  result: z.unknown().optional(),
  /** The tool raised: the agent sees an error with this message. */
  error: z.string().min(1).optional(),
}).refine((r) => (r.result === undefined) !== (r.error === undefined), {
  message: "a tool recording needs exactly one of `result` or `error`",
});
export type ToolRecording = z.infer<typeof ToolRecording>;

export const MatchOptions = z.strictObject({
  /** Default false: "2607 Companies" matches "2607 companies". */
  case_sensitive: z.boolean().default(false),
  /**
   * How text is normalised before phrase matching (default "nfkc"):
   *  - "none": compared as-is
   *  - "whitespace": runs of whitespace collapse to one space
   *  - "nfkc": Unicode NFKC, curly quotes and dashes folded to ASCII, then whitespace collapsed
   */
  normalize: z.enum(["none", "whitespace", "nfkc"]).default("nfkc"),
});
export type MatchOptions = z.infer<typeof MatchOptions>;

const RegexSpec = z.union([
  z.string().min(1),
  z.strictObject({ pattern: z.string().min(1), flags: z.string().regex(/^[dgimsuvy]*$/).optional() }),
]);

/**
 * One rule of the span contract. A string is a name (`tool:search`), a path of direct children
 * (`retrieve > rerank`), a count (`worker:enrich_one × 3`, `× 2+` for at least) or a status
 * (`"tool:vector_retrieve: error"`); a one-key map `{ tool:vector_retrieve: error }` (what the
 * unquoted status form parses to) is a status too; the object form checks attributes, a parent
 * and any of the above at once.
 */
export const SpanExpectation = z.union([
  z.string().min(1),
  z.strictObject({
    /** The span's name; without it, any span (with the attributes given). */
    name: z.string().min(1).optional(),
    /** The name of the span's direct parent. */
    under: z.string().min(1).optional(),
    /** How many such spans: exactly n, or "n+" for at least n. */
    count: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+\+$/, 'a count is a number, or "n+" for at least n')]).optional(),
    status: z.enum(["ok", "error"]).optional(),
    /** Attribute values one such span must have (compared as JSON; a number also matches its text). */
    attributes: JsonObject.optional(),
  }).refine((rule) => rule.name !== undefined || rule.attributes !== undefined, { message: "a span rule needs a name or attributes" }),
  // The object form's own keys are never span names here, so `{ status: ok }` is a broken rule, not a span called "status".
  z.record(z.string().min(1), z.enum(["ok", "error"])).refine((map) => Object.keys(map).length === 1 && !["name", "under", "count", "status", "attributes"].includes(Object.keys(map)[0]!), { message: 'the status form is one span name and ok or error: { "tool:search": error }' }),
]);
export type SpanExpectation = z.infer<typeof SpanExpectation>;

/** What a judge is shown besides its rubric. */
export const JudgeInput = z.enum(["input", "answer", "tools", "data"]);
export type JudgeInput = z.infer<typeof JudgeInput>;

export const JudgeCheck = z.strictObject({
  /** Names the check in reports (`judge:<name>`) when an example has more than one judge. */
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, "judge names are snake_case").default("judge"),
  /** What the judge grades, in plain words. Part of the judge call's recording key. */
  rubric: z.string().min(1),
  /** Overrides config `judge.model` for this check. */
  model: z.string().min(1).optional(),
  /** Score (0–1) at or above which the check passes; default config `judge.threshold`. */
  threshold: z.number().min(0).max(1).optional(),
  /** What the judge sees (default: the input and the answer); `tools` adds every recorded tool output. */
  inputs: z.array(JudgeInput).min(1).default(["input", "answer"]),
});
export type JudgeCheck = z.infer<typeof JudgeCheck>;

export const Expect = z.strictObject({
  must_contain: z.array(z.string().min(1)).default([]),
  must_not_contain: z.array(z.string().min(1)).default([]),
  regex: z.array(RegexSpec).default([]),
  must_not_match: z.array(RegexSpec).default([]),
  match: MatchOptions.optional(),
  /** Trajectory: every tool named here must have been dispatched at least once. */
  tools_called: z.array(z.string().min(1)).optional(),
  /** Trajectory: these tools must appear in this relative order among the dispatches. */
  tool_order: z.array(z.string().min(1)).optional(),
  /** Trajectory: tools that must never be dispatched. */
  tools_not_called: z.array(z.string().min(1)).optional(),
  /** Budget: LLM calls made by the run (the agent loop's steps). */
  max_steps: z.number().int().positive().optional(),
  /** Budget: total tokens across all LLM calls of the run. */
  max_tokens: z.number().int().positive().optional(),
  /** Budget: total cost in USD across all LLM calls of the run. */
  max_cost_usd: z.number().positive().optional(),
  /** Span contract: what the run's trace must look like (scorers/spans.ts; a silently dropped span fails the gate). */
  spans: z.array(SpanExpectation).optional(),
  /** Structured output: this must be contained in the agent's output.data (see scorers/data.ts). */
  data: JsonObject.optional(),
  /** LLM judge(s) grading the answer against a rubric; their calls are recorded and replayed like the agent's. */
  judge: z.union([JudgeCheck, z.array(JudgeCheck).min(1)]).optional(),
});
export type Expect = z.infer<typeof Expect>;

export const Example = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "ids are letters, digits, '.', '_' and '-' (they name recording files)"),
  description: z.string().optional(),
  tags: z.array(z.string().min(1)).default([]),
  input: JsonObject,
  tools: z.array(ToolRecording).default([]),
  expect: Expect,
  /** The baseline: true means this example must keep passing; false marks a known failure. */
  pass: z.boolean().optional(),
  /** Repeated trials: run the example this many times (overrides the dataset's `trials`). */
  trials: z.number().int().min(1).max(1000).optional(),
  /** With trials: the share of trials that must pass, instead of the plain pass flag. */
  pass_rate: z.number().gt(0).max(1).optional(),
  /**
   * With `pass: false`: the checks this known failure is expected to fail. Failing any other
   * check is a change in how it fails, and fails the gate. Unset: any failing check will do.
   */
  fails: z.array(CheckName).min(1).optional(),
  /** Per-example override of the run's timeout. */
  timeout_ms: z.number().int().positive().max(MAX_TIMEOUT_MS, `at most ${MAX_TIMEOUT_MS} ms (one hour)`).optional(),
}).superRefine((example, ctx) => {
  if (example.pass === undefined && example.pass_rate === undefined) {
    ctx.addIssue({ code: "custom", path: ["pass"], message: "required field is missing: set `pass: true|false`, or `pass_rate` with `trials`" });
  }
  if (example.pass !== undefined && example.pass_rate !== undefined) {
    ctx.addIssue({ code: "custom", path: ["pass_rate"], message: "set either `pass` or `pass_rate`, not both (pass_rate is the expectation of a trials example)" });
  }
});
export type Example = z.infer<typeof Example>;

export const DatasetFile = z.strictObject({
  graph: z.string().min(1),
  version: z.number().int().positive(),
  description: z.string().min(1),
  /** Where this dataset's LLM recordings live, relative to the YAML file. */
  recordings: z.string().min(1).optional(),
  /** Repeated trials for every example (an example's own `trials` wins). */
  trials: z.number().int().min(1).max(1000).optional(),
  examples: z.array(Example).min(1),
});
export type DatasetFile = z.infer<typeof DatasetFile>;

/** A dataset as the runner sees it: validated data plus where each piece came from. */
export interface Dataset {
  readonly graph: string;
  readonly version: number;
  readonly description: string;
  /** Path relative to the project root, with forward slashes. */
  readonly file: string;
  readonly absFile: string;
  /** sha256 of the file's text: shards of one plan must have read the same datasets. */
  readonly contentHash: string;
  /** Absolute path of the dataset's scripted replies (authoring/v<N>.replies.yaml), when there are any. */
  readonly repliesFile?: string;
  /** Absolute directory holding one recording file per example. */
  readonly recordingsDir: string;
  /** The dataset's `trials` (each example's own wins). */
  readonly trials?: number;
  readonly examples: readonly LocatedExample[];
}

export interface LocatedExample extends Example {
  /** 1-based line of the example in its YAML file (its `- id:` entry). */
  readonly line: number;
  readonly column: number;
}

/** Recordings for version N of a graph live beside the YAML, one file per example. */
export function defaultRecordingsDir(version: number): string {
  return `recordings/v${version}`;
}
