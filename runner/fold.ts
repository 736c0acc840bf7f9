import { createHash } from "node:crypto";
import { REPORT_SCHEMA, type ExampleResult, type Report, type RunEvent, type Usage } from "../core/report.ts";
import { ATTR } from "../core/trace.ts";
import { countResults, decideGate } from "./gate.ts";
import { byCodeUnits } from "../core/order.ts";

/**
 * The report is a pure fold over run events. A shard's events, or the concatenated example events
 * of several shards, fold into the same shape, which is what makes merging shard reports trivial.
 */
export function foldReport(events: readonly RunEvent[]): Report {
  const start = events.find((e) => e.type === "run-start");
  if (!start || start.type !== "run-start") throw new Error("foldReport: the event stream has no run-start");
  const end = events.findLast((e) => e.type === "run-end");
  const threads = events.findLast((e) => e.type === "threads-started");
  const examples = events.flatMap((e) => (e.type === "example-end" ? [e.result] : [])).sort(byPosition);
  const counts = countResults(examples);
  const finishedAt = end?.type === "run-end" ? end.finished_at : new Date().toISOString();
  return {
    schema: REPORT_SCHEMA,
    run: { ...start.run, ...(threads?.type === "threads-started" ? { workers: threads.workers } : {}), prompt_hashes: requestFingerprints(examples) },
    started_at: start.started_at,
    finished_at: finishedAt,
    duration_ms: Date.parse(finishedAt) - Date.parse(start.started_at),
    counts,
    usage: sumUsage(examples),
    cost_usd: sumCost(examples),
    gate: decideGate(counts, start.run.strict),
    datasets: start.datasets,
    examples,
  };
}

/**
 * Per graph: sha256 over each example (in report order) and the request keys of its LLM calls.
 * Two runs of the same graph agree exactly when every agent sent the same requests.
 */
export function requestFingerprints(examples: readonly ExampleResult[]): Record<string, string> {
  const hashes = new Map<string, ReturnType<typeof createHash>>();
  for (const e of examples) {
    let hash = hashes.get(e.graph);
    if (!hash) hashes.set(e.graph, (hash = createHash("sha256")));
    const keys = e.spans.filter((s) => s.kind === "llm").map((s) => String(s.attributes[ATTR.requestKey] ?? s.attributes[ATTR.recordingKey] ?? "?"));
    hash.update(`${e.dataset_version}/${e.id}:${keys.join(",")}\n`);
  }
  return Object.fromEntries([...hashes].sort(([a], [b]) => byCodeUnits(a, b)).map(([graph, hash]) => [graph, hash.digest("hex").slice(0, 16)]));
}

/** Report order is dataset file then position, whatever order concurrency finished them in. */
function byPosition(a: ExampleResult, b: ExampleResult): number {
  return byCodeUnits(a.file, b.file) || a.line - b.line;
}

function sumUsage(examples: readonly ExampleResult[]): Usage {
  const usage: Usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0, llm_calls: 0, recorded: examples.length > 0 };
  for (const e of examples) {
    usage.input_tokens += e.usage.input_tokens;
    usage.output_tokens += e.usage.output_tokens;
    usage.total_tokens += e.usage.total_tokens;
    usage.llm_calls += e.usage.llm_calls;
    usage.recorded &&= e.usage.recorded;
  }
  return usage;
}

/** null when any example used a model without a price: a partial sum would understate the cost. */
function sumCost(examples: readonly ExampleResult[]): number | null {
  let total = 0;
  for (const e of examples) {
    if (e.cost_usd === null) {
      if (e.usage.llm_calls === 0) continue;
      return null;
    }
    total += e.cost_usd;
  }
  return Math.round(total * 1e8) / 1e8;
}
