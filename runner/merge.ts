import { readFile } from "node:fs/promises";
import type { EvalConfig, ReporterName } from "../core/config.ts";
import type { Report, RunEvent } from "../core/report.ts";
import type { ReporterContext } from "../core/reporter.ts";
import { foldReport } from "./fold.ts";
import { ProblemsError, type Problem } from "./problems.ts";
import { runReporters } from "./reporters.ts";

export interface MergeOptions extends Pick<ReporterContext, "outDir" | "rootDir" | "env" | "stdout"> {
  reporters: ReporterName[];
  config: EvalConfig;
  strict: boolean;
}

/**
 * Folds the event logs of several shards (each shard's <outDir>/events.jsonl) into one report and
 * runs the reporters on it, as if one machine had run everything.
 */
export async function mergeEventLogs(inputs: readonly string[], opts: MergeOptions): Promise<Report> {
  const problems: Problem[] = [];
  const starts: Extract<RunEvent, { type: "run-start" }>[] = [];
  const examples: RunEvent[] = [];
  let finished = "";
  for (const file of inputs) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      problems.push({ file, line: 1, column: 1, path: "", message: `cannot read: ${(error as Error).message}` });
      continue;
    }
    text.split("\n").forEach((line, i) => {
      if (!line.trim()) return;
      let event: RunEvent;
      try {
        event = JSON.parse(line) as RunEvent;
      } catch {
        problems.push({ file, line: i + 1, column: 1, path: "", message: "not a JSON event (a torn last line means the shard crashed mid-write)" });
        return;
      }
      if (event.type === "run-start") starts.push(event);
      else if (event.type === "example-end") examples.push(event);
      else if (event.type === "run-end" && event.finished_at > finished) finished = event.finished_at;
    });
  }
  if (starts.length === 0) problems.push({ file: inputs[0] ?? "(none)", line: 1, column: 1, path: "", message: "no run-start event: is this an evalgate events.jsonl?" });
  if (problems.length) throw new ProblemsError("cannot merge the shard logs", problems, "pass the events.jsonl of each shard's output directory");

  const first = starts.reduce((a, b) => (a.started_at <= b.started_at ? a : b));
  const datasets = new Map<string, Report["datasets"][number]>();
  for (const s of starts) for (const d of s.datasets) {
    const key = `${d.graph}@v${d.version}`;
    const seen = datasets.get(key);
    datasets.set(key, seen ? { ...seen, examples: seen.examples + d.examples } : { ...d });
  }
  const merged: RunEvent[] = [
    { ...first, run: { ...first.run, shard: null, strict: opts.strict || first.run.strict }, planned: starts.reduce((n, s) => n + s.planned, 0), datasets: [...datasets.values()] },
    ...examples,
    { type: "run-end", finished_at: finished || new Date().toISOString() },
  ];
  const report = foldReport(merged);
  const reporter = runReporters(opts.reporters, opts, opts.config);
  await reporter.onEnd?.(report);
  return report;
}
