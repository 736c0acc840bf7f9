import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { EvalConfig, ReporterName } from "../core/config.ts";
import type { ExampleResult, Report, RunEvent } from "../core/report.ts";
import type { ReporterContext } from "../core/reporter.ts";
import { readUserFile } from "./file-text.ts";
import { foldReport } from "./fold.ts";
import { lockOutDir } from "./out-dir-lock.ts";
import { ProblemsError, type Problem } from "./problems.ts";
import { runRedaction } from "./redaction.ts";
import { runReporters } from "./reporters.ts";

export interface MergeOptions extends Pick<ReporterContext, "outDir" | "rootDir" | "env" | "stdout"> {
  reporters: ReporterName[];
  config: EvalConfig;
  strict: boolean;
}

type RunStart = Extract<RunEvent, { type: "run-start" }>;

/** One shard's event log, read and checked on its own. */
interface ShardLog {
  file: string;
  start: RunStart;
  examples: ExampleResult[];
  finished: string | null;
}

const MAX_LOG_BYTES = 1024 * 1024 * 1024;

/**
 * Folds the event logs of several shards (each shard's <outDir>/events.jsonl) into one report and
 * runs the reporters on it, as if one machine had run everything. It refuses (exit 2, never a
 * verdict) anything but one complete log for each shard i/n of the same plan: a missing, repeated,
 * unfinished or differently planned shard would make the merged verdict a lie.
 */
export async function mergeEventLogs(inputs: readonly string[], opts: MergeOptions): Promise<Report> {
  const problems: Problem[] = [];
  const logs: ShardLog[] = [];
  for (const file of inputs) {
    const log = await readShardLog(file, problems);
    if (log) logs.push(log);
  }
  if (problems.length === 0) problems.push(...shardSetProblems(logs));
  if (problems.length) throw new ProblemsError("cannot merge the shard logs", problems, "pass the events.jsonl of every shard of one run (--shard 1/n … n/n, same commit, config and datasets), each run to the end; re-run the shards named above");

  const first = logs.reduce((a, b) => (a.start.started_at <= b.start.started_at ? a : b)).start;
  const finished = logs.map((l) => l.finished!).reduce((a, b) => (a >= b ? a : b));
  const datasets = new Map<string, Report["datasets"][number]>();
  for (const { start } of logs) for (const d of start.datasets) {
    const key = `${d.graph}@v${d.version}`;
    const seen = datasets.get(key);
    datasets.set(key, seen ? { ...seen, examples: seen.examples + d.examples } : { ...d });
  }
  const merged: RunEvent[] = [
    { ...first, run: { ...first.run, shard: null, strict: opts.strict || first.run.strict }, planned: logs.reduce((n, l) => n + l.start.planned, 0), datasets: [...datasets.values()] },
    ...logs.flatMap((l) => l.examples.map((result) => ({ type: "example-end" as const, result }))),
    { type: "run-end", finished_at: finished },
  ];
  const report = foldReport(merged);
  const lock = lockOutDir(opts.outDir, "merge");
  try {
    const reporter = runReporters(opts.reporters, { ...opts, redactor: runRedaction(opts.config, opts.env).outside }, opts.config);
    await reporter.onEnd?.(report);
  } finally {
    lock.release();
  }
  return report;
}

async function readShardLog(given: string, problems: Problem[]): Promise<ShardLog | null> {
  // A shard's out dir stands for the events.jsonl in it, as `compare --base <dir>` takes a folder.
  const file = existsSync(given) && statSync(given).isDirectory() ? join(given, "events.jsonl") : given;
  const read = await readUserFile(file, MAX_LOG_BYTES);
  if (!read.ok) {
    problems.push({ file, line: read.line ?? 1, column: read.column ?? 1, path: "", message: read.message });
    return null;
  }
  const starts: RunStart[] = [];
  const examples: ExampleResult[] = [];
  let finished: string | null = null;
  const lines = read.text.split("\n");
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let event: RunEvent;
    try {
      event = JSON.parse(line) as RunEvent;
    } catch {
      const last = lines.slice(i + 1).every((l) => !l.trim());
      problems.push({ file, line: i + 1, column: 1, path: "", message: last ? "the last event is torn: this shard was killed mid-write; re-run it" : "not a JSON event" });
      return;
    }
    if (event.type === "run-start") starts.push(event);
    else if (event.type === "example-end") examples.push(event.result);
    else if (event.type === "run-end") finished = event.finished_at;
  });
  if (starts.length === 0) {
    problems.push({ file, line: 1, column: 1, path: "", message: "no run-start event: is this an evalgate events.jsonl?" });
    return null;
  }
  if (starts.length > 1) {
    problems.push({ file, line: 1, column: 1, path: "", message: `holds ${starts.length} runs (two runs wrote into the same output directory); re-run the shard into a folder of its own` });
    return null;
  }
  const start = starts[0]!;
  const name = shardName(start);
  if (finished === null) {
    problems.push({ file, line: 1, column: 1, path: "", message: `${name} did not finish (no run-end event): it finished ${examples.length} of ${start.planned} examples; re-run it` });
  } else if (examples.length !== start.planned) {
    problems.push({ file, line: 1, column: 1, path: "", message: `${name} finished ${examples.length} of ${start.planned} examples; re-run it` });
  }
  return { file, start, examples, finished };
}

function shardName(start: RunStart): string {
  return start.run.shard ? `shard ${start.run.shard.index}/${start.run.shard.total}` : "the unsharded run";
}

function shardSetProblems(logs: readonly ShardLog[]): Problem[] {
  const problems: Problem[] = [];
  const at = (file: string, message: string): Problem => ({ file, line: file === "command line" ? 0 : 1, column: file === "command line" ? 0 : 1, path: "", message });
  const plans = new Set(logs.map((l) => l.start.plan?.fingerprint ?? "none"));
  if (logs.some((l) => !l.start.plan)) {
    for (const l of logs.filter((x) => !x.start.plan)) problems.push(at(l.file, "was written by an evalgate without plan fingerprints; re-run the shards with this version"));
    return problems;
  }
  if (plans.size > 1) {
    const byPlan = new Map<string, string[]>();
    for (const l of logs) byPlan.set(l.start.plan!.fingerprint, [...(byPlan.get(l.start.plan!.fingerprint) ?? []), `${shardName(l.start)} (${l.file})`]);
    const groups = [...byPlan.values()].map((names) => names.join(", "));
    problems.push(at(logs[0]!.file, `the shards were planned from different inputs (commit, config, filters or dataset contents differ): ${groups.join(" vs ")}`));
    return problems;
  }
  const unsharded = logs.filter((l) => l.start.run.shard === null);
  if (unsharded.length && logs.length > 1) {
    for (const l of unsharded) problems.push(at(l.file, "is an unsharded run; it cannot be merged with other logs (it already holds every example)"));
    return problems;
  }
  if (unsharded.length === 1) return problems;

  const totals = new Set(logs.map((l) => l.start.run.shard!.total));
  if (totals.size > 1) {
    problems.push(at(logs[0]!.file, `the logs split the plan in different ways: ${logs.map((l) => `${shardName(l.start)} (${l.file})`).join(", ")}`));
    return problems;
  }
  const total = [...totals][0]!;
  const byIndex = new Map<number, ShardLog[]>();
  for (const l of logs) byIndex.set(l.start.run.shard!.index, [...(byIndex.get(l.start.run.shard!.index) ?? []), l]);
  for (let index = 1; index <= total; index++) {
    const given = byIndex.get(index) ?? [];
    if (given.length === 0) problems.push(at("command line", `shard ${index}/${total} missing: pass its events.jsonl too`));
    else if (given.length > 1) problems.push(at(given[1]!.file, `shard ${index}/${total} given ${given.length} times (${given.map((g) => g.file).join(", ")})`));
  }
  if (problems.length) return problems;

  const seen = new Map<string, string>();
  for (const l of logs) for (const e of l.examples) {
    const key = `${e.graph}@v${e.dataset_version}/${e.id}`;
    if (seen.has(key)) problems.push(at(l.file, `${key} was run by two shards (${seen.get(key)} and ${l.file})`));
    else seen.set(key, l.file);
  }
  const selected = logs[0]!.start.plan!.selected;
  if (problems.length === 0 && seen.size !== selected) problems.push(at("command line", `the shards hold ${seen.size} examples, but the plan selected ${selected}`));
  return problems;
}
