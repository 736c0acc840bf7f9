import type { ExampleResult, Report } from "../../core/report.ts";
import { ATTR } from "../../core/trace.ts";
import { datasetName, deterministicUuidv7, exampleKey, uuidv5 } from "../ids.ts";
import type { ExampleTrace, TraceNode } from "../trace-tree.ts";
import type { ExampleRecord, FeedbackRecord, JsonObject, RunRecord, RunType } from "./types.ts";

/**
 * Pure mapping from a (redacted) report to what LangSmith should hold: datasets and their
 * examples, experiment names and metadata, and each example's runs and feedback.
 */

export interface DatasetPlan {
  /** `<graph>@v<version>` */
  readonly name: string;
  readonly graph: string;
  readonly version: number;
  readonly description: string;
  readonly file: string;
  /** The report's examples of this dataset, in report order. */
  readonly examples: readonly ExampleResult[];
}

/** One plan per (graph, version), in order of first appearance in the report. */
export function planDatasets(report: Report): DatasetPlan[] {
  const plans = new Map<string, { graph: string; version: number; examples: ExampleResult[] }>();
  for (const example of report.examples) {
    const name = datasetName(example.graph, example.dataset_version);
    const plan = plans.get(name) ?? { graph: example.graph, version: example.dataset_version, examples: [] };
    plan.examples.push(example);
    plans.set(name, plan);
  }
  return [...plans].map(([name, plan]) => {
    const info = report.datasets.find((d) => d.graph === plan.graph && d.version === plan.version);
    return {
      name,
      graph: plan.graph,
      version: plan.version,
      description: info?.description ?? "",
      file: info?.file ?? plan.examples[0]!.file,
      examples: plan.examples,
    };
  });
}

/** The LangSmith id of an example: the same on every run, so re-uploads update in place. */
export function stableExampleId(example: Pick<ExampleResult, "graph" | "dataset_version" | "id">): string {
  return uuidv5(exampleKey(example));
}

export function exampleRecord(example: ExampleResult): ExampleRecord {
  return {
    id: stableExampleId(example),
    inputs: example.input,
    outputs: { expect: example.expect, expected_pass: example.expected_pass },
    metadata: {
      evalgate_id: example.id,
      file: example.file,
      line: example.line,
      tags: example.tags,
      ...(example.description !== undefined && { description: example.description }),
    },
  };
}

/**
 * Which desired examples are missing and which differ from what the server holds. Metadata is
 * compared on our keys only (the server adds its own, such as dataset_split). Examples the
 * server has but the report lacks are left alone: a filtered run must not shrink a dataset.
 */
export function examplesToSync(desired: readonly ExampleRecord[], existing: readonly ExampleRecord[]): { create: ExampleRecord[]; update: ExampleRecord[]; unchanged: number } {
  const byId = new Map(existing.map((e) => [e.id, e]));
  const unique = new Map(desired.map((e) => [e.id, e]));
  const create: ExampleRecord[] = [];
  const update: ExampleRecord[] = [];
  for (const want of unique.values()) {
    const have = byId.get(want.id);
    if (!have) create.push(want);
    else if (!sameExample(want, have)) update.push(want);
  }
  return { create, update, unchanged: unique.size - create.length - update.length };
}

function sameExample(want: ExampleRecord, have: ExampleRecord): boolean {
  if (canonicalJson(want.inputs) !== canonicalJson(have.inputs)) return false;
  if (canonicalJson(want.outputs) !== canonicalJson(have.outputs)) return false;
  return Object.entries(want.metadata).every(([key, value]) => canonicalJson(value) === canonicalJson(have.metadata[key]));
}

/** JSON with object keys sorted, so equal data compares equal whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  ) ?? "null";
}

/** `<prefix>-<graph>@v<version>-<short sha, or run start stamp>-<random>` */
export function experimentName(prefix: string, plan: DatasetPlan, report: Report, random: string): string {
  const sha = report.run.git.sha?.slice(0, 7);
  const stamp = report.started_at.replace(/\.\d+/, "").replace(/[-:]/g, "");
  return `${prefix}-${plan.name}-${sha ?? stamp}-${random}`;
}

export function experimentDescription(plan: DatasetPlan, report: Report): string {
  const sha = report.run.git.sha ? ` at ${report.run.git.sha.slice(0, 12)}` : "";
  return `evalgate ${report.run.mode} run of ${plan.name} (${plan.file})${sha}, started ${report.started_at}`;
}

export function experimentMetadata(plan: DatasetPlan, report: Report): JsonObject {
  const run = report.run;
  return {
    evalgate_version: run.evalgate_version,
    mode: run.mode,
    strict: run.strict,
    git_sha: run.git.sha,
    git_branch: run.git.branch,
    shard: run.shard ? `${run.shard.index}/${run.shard.total}` : null,
    dataset: plan.name,
    dataset_file: plan.file,
    prompt_hash: run.prompt_hashes[plan.graph] ?? null,
    prompt_hashes: run.prompt_hashes,
    run_started_at: report.started_at,
    run_finished_at: report.finished_at,
    examples: plan.examples.length,
    regressions: plan.examples.filter((e) => e.verdict === "regression").length,
  };
}

export interface TraceContext {
  readonly experimentId: string;
  readonly experimentName: string;
}

export interface PlannedTrace {
  readonly key: string;
  readonly rootRunId: string;
  readonly runs: RunRecord[];
  readonly feedback: FeedbackRecord[];
}

/**
 * The runs of one example trace, nested as its spans are, plus its scores and verdict as
 * feedback on the root run. Run ids are uuid v7 (LangSmith wants time-ordered ids) built from
 * the span start and a hash of experiment, example and span, so a retry sends the same ids.
 */
export function planTrace(example: ExampleResult, trace: ExampleTrace, ctx: TraceContext): PlannedTrace {
  const ids = new Map<string, string>();
  const dotted = new Map<string, string>();
  const runs: RunRecord[] = [];
  for (const node of trace.nodes) {
    const id = deterministicUuidv7(Math.floor(node.startUs / 1000), `${ctx.experimentId}/${trace.key}/${node.spanId}`);
    ids.set(node.spanId, id);
    const segment = `${compactTime(node.startUs)}${id}`;
    const parentDotted = node.parentSpanId !== null ? dotted.get(node.parentSpanId) : undefined;
    dotted.set(node.spanId, parentDotted ? `${parentDotted}.${segment}` : segment);
    const isRoot = node === trace.root;
    const io = isRoot ? rootIo(example, node) : spanIo(node);
    const error = node.status === "error" ? (node.error ?? "error") : isRoot && example.error ? `${example.error.kind}: ${example.error.message}` : undefined;
    runs.push({
      id,
      trace_id: "",
      dotted_order: dotted.get(node.spanId)!,
      ...(node.parentSpanId !== null && { parent_run_id: ids.get(node.parentSpanId)! }),
      session_name: ctx.experimentName,
      name: node.name,
      run_type: runType(node),
      start_time: isoMicros(node.startUs),
      end_time: isoMicros(node.endUs),
      inputs: io.inputs,
      outputs: io.outputs,
      ...(error !== undefined && { error }),
      extra: { metadata: io.metadata },
      ...(isRoot && { tags: example.tags, reference_example_id: stableExampleId(example) }),
    });
  }
  const rootRunId = ids.get(trace.root.spanId)!;
  for (const run of runs) run.trace_id = rootRunId;
  return { key: trace.key, rootRunId, runs, feedback: planFeedback(example, rootRunId, trace.root.startUs, ctx) };
}

function planFeedback(example: ExampleResult, rootRunId: string, rootStartUs: number, ctx: TraceContext): FeedbackRecord[] {
  const startMs = Math.floor(rootStartUs / 1000);
  const base = (key: string, index: number) => ({
    id: deterministicUuidv7(startMs, `${ctx.experimentId}/${exampleKey(example)}/feedback/${index}/${key}`),
    run_id: rootRunId,
    trace_id: rootRunId,
    key,
    session_id: ctx.experimentId,
    start_time: isoMicros(rootStartUs),
  });
  const scores = example.scores.map((s, i) => ({ ...base(s.name, i), score: round4(s.score), comment: `${s.pass ? "pass" : "fail"}: ${s.reason}` }));
  const n = example.scores.length;
  return [
    ...scores,
    {
      ...base("verdict", n),
      score: example.verdict === "regression" ? 0 : 1,
      value: example.verdict,
      comment: `${example.verdict}: expected ${example.expected_pass ? "pass" : "fail"}, got ${example.outcome}`,
    },
    { ...base("pass", n + 1), score: example.outcome === "pass" ? 1 : 0, comment: example.error ? `${example.error.kind}: ${example.error.message}` : example.outcome },
  ];
}

function runType(node: TraceNode): RunType {
  return node.kind === "llm" ? "llm" : node.kind === "tool" ? "tool" : "chain";
}

interface RunIo {
  inputs: JsonObject;
  outputs: JsonObject;
  metadata: JsonObject;
}

/** The root shows what the dataset row compares: the example input and the agent's output. */
function rootIo(example: ExampleResult, node: TraceNode): RunIo {
  return {
    inputs: example.input,
    outputs: example.output ? { ...example.output } : {},
    metadata: { ...node.attributes, evalgate_usage: example.usage },
  };
}

/** Well-known attributes become inputs/outputs; the rest stays visible as metadata. */
function spanIo(node: TraceNode): RunIo {
  const attrs = { ...node.attributes };
  const take = (key: string): unknown => {
    const value = attrs[key];
    delete attrs[key];
    return value;
  };
  if (node.kind === "llm") {
    const prompt = take(ATTR.prompt);
    const completion = take(ATTR.completion);
    const usage = {
      ...(typeof attrs[ATTR.inputTokens] === "number" && { input_tokens: attrs[ATTR.inputTokens] }),
      ...(typeof attrs[ATTR.outputTokens] === "number" && { output_tokens: attrs[ATTR.outputTokens] }),
      ...(typeof attrs[ATTR.totalTokens] === "number" && { total_tokens: attrs[ATTR.totalTokens] }),
    };
    return {
      inputs: prompt === undefined ? {} : Array.isArray(prompt) ? { messages: prompt } : { prompt },
      outputs: { ...(completion !== undefined && { completion }), ...(Object.keys(usage).length > 0 && { usage_metadata: usage }) },
      metadata: {
        ...(typeof attrs[ATTR.system] === "string" && { ls_provider: attrs[ATTR.system] }),
        ...(typeof attrs[ATTR.model] === "string" && { ls_model_name: attrs[ATTR.model] }),
        ...attrs,
      },
    };
  }
  if (node.kind === "tool") {
    const args = take(ATTR.toolArgs);
    const result = take(ATTR.toolResult);
    return {
      inputs: args !== null && typeof args === "object" && !Array.isArray(args) ? (args as JsonObject) : args === undefined ? {} : { args },
      outputs: result === undefined ? {} : { output: result },
      metadata: attrs,
    };
  }
  // Phase, worker and chain attributes are what the step produced (a StageReport, a company id…).
  return { inputs: {}, outputs: attrs, metadata: {} };
}

/** `YYYYMMDDTHHMMSSffffffZ`, the timestamp part of a LangSmith dotted_order segment. */
export function compactTime(epochUs: number): string {
  return isoMicros(epochUs).replace(/[-:.]/g, "");
}

/** ISO 8601 UTC with microseconds: 2026-11-21T10:00:00.001250Z */
export function isoMicros(epochUs: number): string {
  const ms = Math.floor(epochUs / 1000);
  const micros = String(Math.round(epochUs - ms * 1000)).padStart(3, "0");
  return `${new Date(ms).toISOString().slice(0, -1)}${micros}Z`;
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
