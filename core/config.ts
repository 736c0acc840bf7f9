import { z } from "zod";
import { MAX_TIMEOUT_MS } from "./dataset.ts";
import { PII_KINDS } from "./redact.ts";

export const ReporterName = z.enum(["console", "json", "junit", "markdown", "github", "html", "otlp"]);
export type ReporterName = z.infer<typeof ReporterName>;

export const LlmEndpoint = z.strictObject({
  /** Model name sent to the endpoint, and part of every recording key. */
  model: z.string().min(1),
  /** OpenAI-compatible base URL used by `--record` and `--live` (replay never calls it). */
  baseURL: z.string().url(),
  /** Name of the environment variable that holds the key. The key itself never goes in config. */
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name such as OPENAI_API_KEY"),
  temperature: z.number().min(0).max(2).default(0),
  /** Per-request timeout in record/live mode. */
  requestTimeoutMs: z.number().int().positive().default(60_000),
});
export type LlmEndpoint = z.infer<typeof LlmEndpoint>;

export const ModelPrice = z.strictObject({
  /** USD per million input (prompt) tokens. */
  input_per_mtok: z.number().nonnegative(),
  /** USD per million output (completion) tokens. */
  output_per_mtok: z.number().nonnegative(),
  /** USD per million cached input tokens, when the provider discounts them. */
  cached_input_per_mtok: z.number().nonnegative().optional(),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

export const GraphEntry = z.union([
  z.string().min(1),
  z.strictObject({
    /** Module path (relative to eval.config.ts) whose default export is the agent. */
    entry: z.string().min(1),
    /** Overrides of the run-wide LLM endpoint for this graph (for example a different model). */
    llm: LlmEndpoint.partial().optional(),
  }),
]);

export const LangsmithConfig = z.strictObject({
  /** API URL; read from LANGSMITH_ENDPOINT when unset, else the public cloud. */
  endpoint: z.string().url().optional(),
  apiKeyEnv: z.string().default("LANGSMITH_API_KEY"),
  /** Prefix of experiment names. */
  experimentPrefix: z.string().min(1).default("evalgate"),
  /** Extra patterns (JavaScript regex sources) redacted before anything is uploaded (see also redact.patterns). */
  redact: z.array(z.string()).default([]),
  /** Bound on the whole upload; past it the run finishes and results stay on disk. */
  timeoutMs: z.number().int().positive().default(20_000),
  /** Bound on each request (a server that accepts /info and then stalls costs this once). */
  requestTimeoutMs: z.number().int().positive().default(3_000),
}).default({ apiKeyEnv: "LANGSMITH_API_KEY", experimentPrefix: "evalgate", redact: [], timeoutMs: 20_000, requestTimeoutMs: 3_000 });

/** A JavaScript regex source that compiles and cannot match the empty string. */
const RegexSource = z.string().min(1).superRefine((source, ctx) => {
  try {
    if (new RegExp(source).test("")) ctx.addIssue({ code: "custom", message: `${JSON.stringify(source)} matches the empty string; make it match at least one character` });
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(error as Error).message}` });
  }
});

/**
 * A VCR-style filter for recordings: matched values are replaced by a stable placeholder in the
 * recorded request and response, and in every live request before it is keyed, so a filtered
 * recording still replays. A built-in kind's placeholder carries a short hash of the value, so
 * two different addresses stay two different placeholders.
 */
export const RecordingFilter = z.union([
  z.enum(PII_KINDS),
  z.strictObject({ pattern: RegexSource, placeholder: z.string().min(1) }),
]);
export type RecordingFilter = z.infer<typeof RecordingFilter>;

export const RedactConfig = z.strictObject({
  /** Extra patterns (JavaScript regex sources) removed from everything evalgate writes, prints or sends, like keys. */
  patterns: z.array(RegexSource).default([]),
  /**
   * E-mails, phone numbers and cards are always redacted from what leaves the machine (uploads,
   * annotations, the step summary, OTLP). true (the default) also redacts them from the run's own
   * files and console, which CI uploads as an artifact; false keeps them there for local debugging.
   */
  local_pii: z.boolean().default(true),
  /** Filters applied to recordings (see RecordingFilter); keys and known secrets are always filtered. */
  recordings: z.array(RecordingFilter).default([]),
}).default({ patterns: [], local_pii: true, recordings: [] });

/** Wall-clock measurements an agent may put in its output: they differ on every run, and say nothing of a change. */
export const DEFAULT_VOLATILE_KEYS = ["duration_ms", "latency_ms", "elapsed_ms", "started_at", "finished_at"];

export const CompareConfig = z.strictObject({
  /** Keys of output.data (at any depth) that `compare` does not diff. */
  ignore_data_keys: z.array(z.string().min(1)).default(DEFAULT_VOLATILE_KEYS),
}).default({ ignore_data_keys: DEFAULT_VOLATILE_KEYS });

export const ReplayConfig = z.strictObject({
  /**
   * Hosts (host or host:port) an agent may reach during replay: a local test database, say.
   * Any other request that is not an OpenAI-compatible LLM call fails the example.
   */
  allow_hosts: z.array(z.string().min(1)).default([]),
}).default({ allow_hosts: [] });

/**
 * How repeated trials are judged (runner/trials): the Wilson interval of each example's pass rate
 * against the stable thresholds, and a one-sided Fisher's exact test against a baseline.
 */
export const TrialsConfig = z.strictObject({
  /** Confidence of the Wilson interval. */
  confidence: z.number().gt(0).lt(1).default(0.95),
  /** An example is a stable pass when its interval's lower bound is at least this. */
  stable_pass_above: z.number().min(0).max(1).default(0.5),
  /** An example is a stable fail when its interval's upper bound is at most this. */
  stable_fail_below: z.number().min(0).max(1).default(0.5),
  /** Significance level of the drop test against a baseline. */
  alpha: z.number().gt(0).lt(1).default(0.05),
  /** The k of the pass@k and pass^k estimates (at most the number of trials run). */
  pass_k: z.number().int().positive().default(3),
  /** Record/live: how often one call is retried on HTTP 429, waiting the server's Retry-After. */
  max_retries_429: z.number().int().min(0).max(10).default(3),
}).default({ confidence: 0.95, stable_pass_above: 0.5, stable_fail_below: 0.5, alpha: 0.05, pass_k: 3, max_retries_429: 3 });
export type TrialsConfig = z.infer<typeof TrialsConfig>;

/** The model that grades `expect.judge` checks: its own endpoint and key, separate from the agents'. */
export const JudgeConfig = z.strictObject({
  model: z.string().min(1),
  /** OpenAI-compatible base URL used by --record and --live (--base-url overrides it too). */
  baseURL: z.string().url(),
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name such as OPENAI_API_KEY"),
  temperature: z.number().min(0).max(2).default(0),
  /** A judge score at or above this passes (each check may set its own). */
  threshold: z.number().min(0).max(1).default(0.5),
  requestTimeoutMs: z.number().int().positive().default(60_000),
});
export type JudgeConfig = z.infer<typeof JudgeConfig>;

export const EvalConfig = z.strictObject({
  /** Glob(s), relative to the config file, of dataset YAML files. */
  datasets: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default("datasets/*/v*.yaml"),
  /** Graph name → agent module. A dataset whose `graph` is not here is an error. */
  graphs: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, "graph names are snake_case"), GraphEntry)
    .refine((g) => Object.keys(g).length > 0, "declare at least one graph"),
  /** Examples run at once. Replay is CPU-bound, so the default is the core count. */
  concurrency: z.number().int().positive().max(256).optional(),
  /**
   * Replay's worker threads: "auto" (the default) uses every core once a run has enough examples
   * to pay for starting them; 0 keeps every example on the main thread; n starts n threads.
   */
  workers: z.union([z.literal("auto"), z.number().int().min(0).max(64)]).default("auto"),
  /** An example still running after this is stopped and counted as an error. */
  timeoutMs: z.number().int().positive().max(MAX_TIMEOUT_MS, `at most ${MAX_TIMEOUT_MS} ms (one hour)`).default(30_000),
  outDir: z.string().min(1).default(".evalgate"),
  reporters: z.array(ReporterName).default(["console", "json", "junit", "markdown", "github", "html"]),
  llm: LlmEndpoint,
  /** Per-model prices for models the pricing source does not know (or to override it). */
  pricing: z.record(z.string(), ModelPrice).default({}),
  langsmith: LangsmithConfig,
  redact: RedactConfig,
  compare: CompareConfig,
  replay: ReplayConfig,
  trials: TrialsConfig,
  judge: JudgeConfig.optional(),
});
export type EvalConfigInput = z.input<typeof EvalConfig>;
export type EvalConfig = z.output<typeof EvalConfig>;

/** Typed helper for eval.config.ts: gives the editor completion; validation happens at load. */
export function defineConfig(config: EvalConfigInput): EvalConfigInput {
  return config;
}

export function graphEntryPath(entry: z.infer<typeof GraphEntry>): string {
  return typeof entry === "string" ? entry : entry.entry;
}

export function graphLlm(config: EvalConfig, graph: string): LlmEndpoint {
  const entry = config.graphs[graph];
  const override = entry && typeof entry !== "string" ? entry.llm : undefined;
  return { ...config.llm, ...override };
}
