import { diffLines, diffWords, type ChangeObject } from "diff";
import { COMPARE_SCHEMA, type Comparison, type DiffPart, type ExampleChange, type RequestChange, type Side, type Totals, type UsageFigures } from "../../core/compare.ts";
import type { RecordedExchange } from "../../core/recording.ts";
import type { ExampleResult, Report } from "../../core/report.ts";
import { ATTR, type Span } from "../../core/trace.ts";
import { sortKeys } from "../canonical-json.ts";
import { explainDifferences } from "../miss-explain.ts";
import type { CanonicalRequest } from "../request-key.ts";
import { byCodeUnits } from "../../core/order.ts";

/** How a side's recorded request is found again from a span's request key (null: not on disk). */
export type ExchangeLookup = (example: ExampleResult, key: string) => RecordedExchange | null;

export interface CompareInputs {
  base: Report;
  head: Report;
  baseSide: Omit<Side, "request_fingerprints" | "mode" | "sha" | "branch">;
  headSide: Omit<Side, "request_fingerprints" | "mode" | "sha" | "branch">;
  baseExchange: ExchangeLookup;
  headExchange: ExchangeLookup;
  /** Keys of output.data not diffed at any depth (compare.ignore_data_keys). */
  ignoreDataKeys?: readonly string[];
  now?: Date;
}

const keyOf = (e: { graph: string; dataset_version: number; id: string }) => `${e.graph}@v${e.dataset_version}/${e.id}`;

/**
 * Pairs the examples of two reports by graph, dataset version and id, and says for each what
 * the change did: verdict, checks, answer, structured output, tools, LLM requests, usage.
 * Pure: the callers read reports and recordings.
 */
export function compareReports(inputs: CompareInputs): Comparison {
  const { base, head } = inputs;
  const baseByKey = new Map(base.examples.map((e) => [keyOf(e), e]));
  const headByKey = new Map(head.examples.map((e) => [keyOf(e), e]));
  const changes: ExampleChange[] = [];
  for (const [key, h] of headByKey) changes.push(compareExample(baseByKey.get(key) ?? null, h, inputs));
  for (const [key, b] of baseByKey) if (!headByKey.has(key)) changes.push(compareExample(b, null, inputs));
  changes.sort(byImportance);

  const count = (status: ExampleChange["status"]) => changes.filter((c) => c.status === status).length;
  return {
    schema: COMPARE_SCHEMA,
    created_at: (inputs.now ?? new Date()).toISOString(),
    base: side(inputs.baseSide, base),
    head: side(inputs.headSide, head),
    gate: head.gate,
    datasets: datasetPresence(base, head),
    counts: {
      changed: count("changed"),
      unchanged: count("unchanged"),
      added: count("added"),
      removed: count("removed"),
      verdict_changes: changes.filter((c) => c.status === "changed" && c.base_verdict !== c.head_verdict).length,
    },
    totals: { base: totals(base.examples), head: totals(head.examples) },
    examples: changes,
    ...(head.langsmith?.experiment_url ? { langsmith: { experiment_url: head.langsmith.experiment_url } } : {}),
  };
}

function side(given: CompareInputs["baseSide"], report: Report): Side {
  return { ...given, sha: report.run.git.sha, branch: report.run.git.branch, mode: report.run.mode, request_fingerprints: report.run.prompt_hashes };
}

function compareExample(base: ExampleResult | null, head: ExampleResult | null, inputs: CompareInputs): ExampleChange {
  const either = (head ?? base)!;
  const status: ExampleChange["status"] = !base ? "added" : !head ? "removed" : "unchanged";
  const baseAnswer = base?.output?.answer ?? null;
  const headAnswer = head?.output?.answer ?? null;
  const checks = compareChecks(base, head);
  const requests = base && head ? compareRequests(base, head, inputs) : [];
  const tools = { base: base ? toolsOf(base.spans) : [], head: head ? toolsOf(head.spans) : [] };
  const usage = { base: base ? usageOf(base) : null, head: head ? usageOf(head) : null };
  const dataDiff = diffData(base?.output?.data, head?.output?.data, new Set(inputs.ignoreDataKeys ?? []));
  const error = { base: base?.error ? `${base.error.kind}: ${base.error.message}` : null, head: head?.error ? `${head.error.kind}: ${head.error.message}` : null };

  const changed: string[] = [];
  if (base && head) {
    if (base.verdict !== head.verdict) changed.push("verdict");
    if (checks.some((c) => c.flipped || c.base?.reason !== c.head?.reason)) changed.push("checks");
    if (baseAnswer !== headAnswer) changed.push("answer");
    if (dataDiff) changed.push("data");
    if (tools.base.join("\n") !== tools.head.join("\n")) changed.push("tools");
    if (requests.some((r) => r.status !== "same")) changed.push("requests");
    if (usage.base!.tokens !== usage.head!.tokens || usage.base!.steps !== usage.head!.steps) changed.push("usage");
    if (error.base !== error.head) changed.push("error");
  }
  return {
    graph: either.graph,
    dataset_version: either.dataset_version,
    id: either.id,
    file: either.file,
    line: either.line,
    tags: either.tags,
    status: status === "unchanged" && changed.length ? "changed" : status,
    base_verdict: base?.verdict ?? null,
    head_verdict: head?.verdict ?? null,
    changed,
    checks,
    answer: { base: baseAnswer, head: headAnswer, diff: baseAnswer === headAnswer ? [] : parts(diffWords(baseAnswer ?? "", headAnswer ?? "")) },
    data_diff: dataDiff,
    tools,
    usage,
    requests,
    error,
    ...(head?.trace_url ? { trace_url: head.trace_url } : {}),
  };
}

function compareChecks(base: ExampleResult | null, head: ExampleResult | null): ExampleChange["checks"] {
  const names = [...new Set([...(base?.scores ?? []).map((s) => s.name), ...(head?.scores ?? []).map((s) => s.name)])];
  return names.map((name) => {
    const b = base?.scores.find((s) => s.name === name);
    const h = head?.scores.find((s) => s.name === name);
    return {
      name,
      base: b ? { pass: b.pass, reason: b.reason } : null,
      head: h ? { pass: h.pass, reason: h.reason } : null,
      flipped: (b?.pass ?? null) !== (h?.pass ?? null),
    };
  });
}

/** Call by call: the request keys of both sides' LLM spans, and for a changed call what differs. */
function compareRequests(base: ExampleResult, head: ExampleResult, inputs: CompareInputs): RequestChange[] {
  const baseCalls = base.spans.filter((s) => s.kind === "llm");
  const headCalls = head.spans.filter((s) => s.kind === "llm");
  const out: RequestChange[] = [];
  for (let i = 0; i < Math.max(baseCalls.length, headCalls.length); i++) {
    const b = baseCalls[i];
    const h = headCalls[i];
    if (!b || !h) {
      out.push({ call: i + 1, status: b ? "removed" : "added", explanation: [] });
      continue;
    }
    if (requestKeyOf(b) === requestKeyOf(h)) {
      out.push({ call: i + 1, status: "same", explanation: [] });
      continue;
    }
    const before = requestOf(b, base, inputs.baseExchange);
    const after = requestOf(h, head, inputs.headExchange);
    out.push({ call: i + 1, status: "changed", explanation: explainDifferences(after, before).map(asBaseAndHead) });
  }
  return out;
}

/** A miss explains "recorded" against "now"; a comparison is base against head. */
function asBaseAndHead(line: string): string {
  return line.replace(/\brecorded: /g, "base:     ").replace(/\bnow:      /g, "head:     ").replace(/\brecorded (?=\S)/g, "base ").replace(/, now (?=\S)/g, ", head ");
}

function requestKeyOf(span: Span): string {
  return String(span.attributes[ATTR.requestKey] ?? span.attributes[ATTR.recordingKey] ?? "");
}

/**
 * The request a span stands for: the recorded one when its file still holds it, else rebuilt from
 * the prompt the span carries (enough to say which message changed).
 */
function requestOf(span: Span, example: ExampleResult, lookup: ExchangeLookup): CanonicalRequest {
  const recorded = lookup(example, requestKeyOf(span));
  if (recorded) return recorded.request;
  return { method: "POST", path: "/chat/completions", body: { model: span.attributes[ATTR.model], messages: span.attributes[ATTR.prompt] ?? [] } };
}

function toolsOf(spans: readonly Span[]): string[] {
  return spans.filter((s) => s.kind === "tool").map((s) => {
    const args = s.attributes[ATTR.toolArgs];
    return `${String(s.attributes[ATTR.toolName] ?? s.name)}(${args === undefined ? "" : JSON.stringify(args)})`;
  });
}

function usageOf(example: ExampleResult): UsageFigures {
  return { steps: example.usage.llm_calls, tokens: example.usage.total_tokens, cost_usd: example.cost_usd };
}

function totals(examples: readonly ExampleResult[]): Totals {
  let cost: number | null = 0;
  for (const e of examples) cost = cost === null || e.cost_usd === null ? (e.usage.llm_calls === 0 ? cost : null) : cost + e.cost_usd;
  return {
    examples: examples.length,
    steps: examples.reduce((n, e) => n + e.usage.llm_calls, 0),
    tokens: examples.reduce((n, e) => n + e.usage.total_tokens, 0),
    cost_usd: cost === null ? null : Math.round(cost * 1e8) / 1e8,
  };
}

function diffData(base: Record<string, unknown> | undefined, head: Record<string, unknown> | undefined, ignore: ReadonlySet<string>): DiffPart[] | null {
  if (base === undefined && head === undefined) return null;
  const a = base === undefined ? "" : `${JSON.stringify(sortKeys(without(base, ignore)), null, 2)}\n`;
  const b = head === undefined ? "" : `${JSON.stringify(sortKeys(without(head, ignore)), null, 2)}\n`;
  return a === b ? null : parts(diffLines(a, b));
}

function without(value: unknown, ignore: ReadonlySet<string>): unknown {
  if (ignore.size === 0) return value;
  if (Array.isArray(value)) return value.map((v) => without(v, ignore));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([k]) => !ignore.has(k)).map(([k, v]) => [k, without(v, ignore)]));
  return value;
}

function parts(changes: ChangeObject<string>[]): DiffPart[] {
  return changes.map((c) => ({ op: c.added ? "insert" : c.removed ? "delete" : "equal", text: c.value }));
}

function datasetPresence(base: Report, head: Report): Comparison["datasets"] {
  const label = (d: { graph: string; version: number }) => `${d.graph}@v${d.version}`;
  const inBase = new Map(base.datasets.map((d) => [label(d), d]));
  const inHead = new Map(head.datasets.map((d) => [label(d), d]));
  const all = [...new Set([...inBase.keys(), ...inHead.keys()])].sort();
  return all.map((key) => {
    const d = (inHead.get(key) ?? inBase.get(key))!;
    return { graph: d.graph, version: d.version, status: inBase.has(key) && inHead.has(key) ? "both" : inHead.has(key) ? "added" : "removed" };
  });
}

const STATUS_ORDER: Record<ExampleChange["status"], number> = { changed: 0, added: 1, removed: 2, unchanged: 3 };
const VERDICT_ORDER: Record<string, number> = { regression: 0, fixed: 1, known_failure: 2, ok: 3 };

/** Regressions first, then other verdict changes, then changed answers; within a group, file order. */
function byImportance(a: ExampleChange, b: ExampleChange): number {
  const rank = (c: ExampleChange) => [STATUS_ORDER[c.status], c.base_verdict !== c.head_verdict ? 0 : 1, VERDICT_ORDER[c.head_verdict ?? "ok"] ?? 4] as const;
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return byCodeUnits(a.file, b.file) || a.line - b.line || byCodeUnits(a.id, b.id);
}
