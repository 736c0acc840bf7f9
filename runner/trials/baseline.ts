import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { readReportFile } from "../read-report.ts";
import type { BaselineTrials } from "./verdict.ts";

/**
 * Each example's trials in an earlier report (report.json, or the out dir holding one), by
 * `<graph>@v<version>/<id>`. A report without trials counts each example as one trial.
 */
export function baselineTrials(path: string): Map<string, BaselineTrials> {
  const abs = resolve(path);
  const file = existsSync(abs) && statSync(abs).isDirectory() ? join(abs, "report.json") : abs;
  const report = readReportFile(file, path, "pass --baseline the report.json (or the out dir) of an earlier --live --trials run");
  const byExample = new Map<string, BaselineTrials>();
  for (const e of report.examples) {
    // An errored run says nothing about the pass rate; leave it out rather than count it as a fail.
    if (e.outcome === "error" && !e.trials) continue;
    byExample.set(`${e.graph}@v${e.dataset_version}/${e.id}`, e.trials ? { passes: e.trials.passes, k: e.trials.k } : { passes: e.outcome === "pass" ? 1 : 0, k: 1 });
  }
  return byExample;
}
