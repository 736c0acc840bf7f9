import { parseArgs } from "node:util";
import { ReporterName } from "../core/config.ts";
import { MAX_TIMEOUT_MS } from "../core/dataset.ts";
import type { Mode } from "../core/recording.ts";
import type { RunOptions } from "../runner/run.ts";
import { parseShard } from "../runner/plan.ts";
import { nearestWord } from "../core/nearest-word.ts";

export type Command =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "run"; options: RunArgs }
  | { kind: "list"; configPath: string }
  | { kind: "upload"; reportPath: string; configPath: string }
  | { kind: "merge"; inputs: string[]; configPath: string; outDir: string | undefined; strict: boolean }
  | { kind: "compare"; options: RunArgs; base: string; comment: boolean }
  | { kind: "init"; graph: string; wrap?: string };

/** What the command line decides about a run; the CLI adds how it was invoked, env and stdout. */
export type RunArgs = Omit<RunOptions, "command" | "env" | "stdout" | "recordingSource"> & {
  /** undefined: upload when LANGSMITH_API_KEY is set. */
  upload?: boolean;
  requireUpload: boolean;
};

export class UsageError extends Error {
  override readonly name = "UsageError";
}

const OPTIONS = {
  config: { type: "string", short: "c" },
  graph: { type: "string", short: "g", multiple: true },
  "dataset-version": { type: "string", multiple: true },
  tag: { type: "string", short: "t", multiple: true },
  example: { type: "string", short: "e", multiple: true },
  shard: { type: "string" },
  mode: { type: "string" },
  record: { type: "boolean" },
  stale: { type: "boolean" },
  "judge-only": { type: "boolean" },
  trials: { type: "string" },
  baseline: { type: "string" },
  replies: { type: "boolean" },
  live: { type: "boolean" },
  "base-url": { type: "string" },
  strict: { type: "boolean" },
  concurrency: { type: "string", short: "j" },
  workers: { type: "string" },
  timeout: { type: "string" },
  "out-dir": { type: "string", short: "o" },
  reporter: { type: "string", short: "r", multiple: true },
  upload: { type: "boolean" },
  "no-upload": { type: "boolean" },
  "require-upload": { type: "boolean" },
  base: { type: "string" },
  comment: { type: "boolean" },
  wrap: { type: "string" },
  list: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

const COMMANDS = ["run", "list", "init", "upload", "merge", "compare"];

/** Node's words for a bad command line, with the option a typo most likely meant. */
function describeParseError(error: NodeJS.ErrnoException): string {
  const given = error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /Unknown option '(--?[^']+)'/.exec(error.message)?.[1] : undefined;
  const meant = given ? nearestWord(given.replace(/^-+/, ""), Object.keys(OPTIONS)) : null;
  return given && meant ? `unknown option ${given} (did you mean --${meant}?)` : error.message;
}

export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error as NodeJS.ErrnoException));
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { kind: "help" };
  if (v.version) return { kind: "version" };
  const configPath = v.config ?? "eval.config.ts";
  const [verb = "run", ...rest] = positionals;
  if (verb === "upload") {
    if (rest.length !== 1) throw new UsageError("upload takes one report file: evalgate upload .evalgate/report.json");
    return { kind: "upload", reportPath: rest[0]!, configPath };
  }
  if (verb === "merge") {
    if (rest.length === 0) throw new UsageError("merge takes the events.jsonl files of the shards: evalgate merge shard-1/events.jsonl shard-2/events.jsonl");
    return { kind: "merge", inputs: rest, configPath, outDir: v["out-dir"], strict: v.strict ?? false };
  }
  if (verb === "list" || v.list) return { kind: "list", configPath };
  if (verb === "init") {
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}" (init takes --graph <name> and --wrap <module#export>)`);
    return { kind: "init", graph: v.graph?.[0] ?? "agent", ...(v.wrap ? { wrap: v.wrap } : {}) };
  }
  if (verb !== "run" && verb !== "compare") {
    const meant = nearestWord(verb, COMMANDS);
    throw new UsageError(`unknown command "${verb}"${meant ? ` (did you mean "${meant}"?)` : ""} (commands: ${COMMANDS.join(", ")})`);
  }
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (verb === "compare") {
    if (!v.base) throw new UsageError("compare needs --base <git ref | report.json | out dir>, such as --base origin/main");
    if (v.shard !== undefined) throw new UsageError("compare runs the whole selection; drop --shard");
    return { kind: "compare", options: runOptions(v, configPath), base: v.base, comment: v.comment ?? false };
  }
  if (v.base !== undefined || v.comment) throw new UsageError("--base and --comment go with the compare command: evalgate compare --base origin/main");
  return { kind: "run", options: runOptions(v, configPath) };
}

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>["values"];

function runOptions(v: Values, configPath: string): RunArgs {

  const modes = [(v.record || v.replies) && "record", v.live && "live", v.mode].filter(Boolean) as string[];
  if (new Set(modes).size > 1) throw new UsageError(`choose one mode, got ${modes.join(" and ")}`);
  const mode = (modes[0] ?? "replay") as Mode;
  if (!["replay", "record", "live"].includes(mode)) throw new UsageError(`--mode must be replay, record or live (got "${mode}")`);
  const shard = v.shard === undefined ? null : parseShard(v.shard);
  if (v.shard !== undefined && !shard) throw new UsageError(`--shard takes i/n with 1 <= i <= n, such as 2/4 (got "${v.shard}")`);
  const reporters = v.reporter?.flatMap(splitList).map((name) => {
    const r = ReporterName.safeParse(name);
    if (!r.success) throw new UsageError(`unknown reporter "${name}" (reporters: ${ReporterName.options.join(", ")})`);
    return r.data;
  });
  if (v.upload && v["no-upload"]) throw new UsageError("--upload and --no-upload contradict each other");
  if (v.stale && mode !== "record") throw new UsageError("--stale goes with --record (or --replies): it re-records only what replay would miss");
  if (v.replies && v["base-url"] !== undefined) throw new UsageError("--replies serves scripted replies from its own loopback server; drop --base-url");
  if (v["judge-only"] && mode !== "record") throw new UsageError("--judge-only goes with --record: it re-records the judge calls and replays the agent from its recordings");
  if (v["judge-only"] && v.stale) throw new UsageError("--judge-only keeps every agent exchange already; drop --stale");
  const trials = v.trials === undefined ? undefined : positiveInt("--trials", v.trials, 1000);
  if (trials !== undefined && v.stale) throw new UsageError("--trials records every trial afresh; drop --stale");
  if (trials !== undefined && trials > 1 && v.replies) throw new UsageError("--trials samples a real model k times; scripted replies answer every trial the same, so record trials with --base-url or the configured endpoint");
  if (v.baseline !== undefined && mode === "record") throw new UsageError("--baseline compares live or replayed trials with an earlier run; a --record run has nothing to compare yet");
  return {
      configPath,
      mode,
      filters: {
        graphs: (v.graph ?? []).flatMap(splitList),
        versions: (v["dataset-version"] ?? []).flatMap(splitList).map((s) => s.replace(/^v/, "")),
        tags: (v.tag ?? []).flatMap(splitList),
        examples: (v.example ?? []).flatMap(splitList),
      },
      shard,
      strict: v.strict ?? false,
      ...(v.concurrency !== undefined ? { concurrency: positiveInt("--concurrency", v.concurrency) } : {}),
      ...(v.workers !== undefined ? { workers: workersOption(v.workers) } : {}),
      ...(v.timeout !== undefined ? { timeoutMs: positiveInt("--timeout", v.timeout, MAX_TIMEOUT_MS) } : {}),
      ...(v["out-dir"] !== undefined ? { outDir: v["out-dir"] } : {}),
      ...(reporters ? { reporters } : {}),
      ...(v.upload ? { upload: true } : v["no-upload"] ? { upload: false } : {}),
      requireUpload: v["require-upload"] ?? false,
      ...(v.stale ? { stale: true } : {}),
      ...(v.replies ? { replies: true } : {}),
      ...(v["judge-only"] ? { judgeOnly: true } : {}),
      ...(trials !== undefined ? { trials } : {}),
      ...(v.baseline !== undefined ? { baseline: v.baseline } : {}),
      ...(v["base-url"] !== undefined ? { baseURL: checkedUrl(v["base-url"]) } : {}),
  };
}

function splitList(value: string): string[] {
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

/** --workers: "auto", 0 (the main thread only) or a count of threads; the message names all three. */
function workersOption(text: string): number | "auto" {
  if (text === "auto") return "auto";
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(n)) throw new UsageError(`--workers takes auto, 0 (the main thread only) or a number of threads up to 64 (got "${text}")`);
  if (n > 64) throw new UsageError(`--workers takes at most 64 (got "${text}")`);
  return n;
}

function positiveInt(flag: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a positive whole number (got "${text}")`);
  if (n > max) throw new UsageError(`${flag} takes at most ${max} (got "${text}")`);
  return n;
}

function checkedUrl(text: string): string {
  try {
    return new URL(text).href.replace(/\/$/, "");
  } catch {
    throw new UsageError(`--base-url takes a URL such as http://127.0.0.1:8000/v1 (got "${text}")`);
  }
}
