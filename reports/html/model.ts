import path from "node:path";
import type { Comparison, ExampleChange } from "../../core/compare.ts";
import { byCodeUnits } from "../../core/order.ts";
import type { ExampleResult, Report, ScoreResult, Usage, Verdict } from "../../core/report.ts";
import { ATTR, type Span } from "../../core/trace.ts";
import { DEFAULT_COMMAND, VERDICT_ORDER, datasetLabel, reproduceCommand } from "../format.ts";

/**
 * The data the HTML report embeds: the report reshaped for the page, with the comparison folded
 * into each example. Prompts are interned in one string table because every LLM call of an agent
 * resends the same system prompt and the conversation so far; without it the shipped suite's
 * prompts are most of the file, and 10,000 examples would not open.
 */
export interface HtmlData {
  readonly version: 1;
  readonly meta: HtmlMeta;
  readonly strings: string[];
  readonly examples: HtmlExample[];
}

export interface HtmlMeta {
  readonly evalgate_version: string;
  readonly gate: Report["gate"];
  readonly counts: Report["counts"];
  readonly usage: Usage;
  readonly cost_usd: number | null;
  readonly duration_ms: number;
  readonly started_at: string;
  readonly finished_at: string;
  readonly mode: Report["run"]["mode"];
  readonly strict: boolean;
  readonly shard: Report["run"]["shard"];
  readonly git: Report["run"]["git"];
  readonly datasets: Array<Report["datasets"][number] & { label: string }>;
  readonly langsmith_url: string | null;
  readonly langsmith_error: string | null;
  readonly compare: HtmlCompareMeta | null;
}

export type HtmlCompareMeta = Pick<Comparison, "created_at" | "base" | "head" | "gate" | "counts" | "totals">;

export interface HtmlMessage {
  readonly role: string;
  /** Index into HtmlData.strings. */
  readonly content: number;
  /** Whatever else the message carried (tool calls, a name), as recorded. */
  readonly extra?: Record<string, unknown>;
}

export interface HtmlSpan {
  readonly id: string;
  readonly parent: string | null;
  readonly name: string;
  readonly kind: Span["kind"];
  readonly start_ms: number;
  readonly duration_ms: number;
  readonly status: Span["status"];
  readonly error?: string;
  readonly model?: string;
  readonly input_tokens?: number;
  readonly output_tokens?: number;
  readonly total_tokens?: number;
  readonly cost_usd?: number;
  readonly latency_ms?: number;
  readonly recorded?: boolean;
  readonly tool?: { readonly name: string; readonly args?: unknown; readonly result?: unknown; readonly attempt?: number };
  readonly prompt?: HtmlMessage[];
  /** Index into HtmlData.strings. */
  readonly completion?: number;
  /** Every attribute not lifted into a field above. */
  readonly attributes: Record<string, unknown>;
}

export type HtmlChange = Omit<ExampleChange, "graph" | "dataset_version" | "id" | "file" | "line" | "tags">;

export interface HtmlExample {
  /** graph@vN/id: unique, and what the page's #fragment names. */
  readonly key: string;
  readonly graph: string;
  readonly version: number;
  readonly id: string;
  readonly dataset: string;
  readonly file: string;
  readonly line: number;
  readonly tags: string[];
  readonly description?: string;
  /** null for an example that exists only on the base side of a comparison. */
  readonly verdict: Verdict | null;
  readonly outcome: ExampleResult["outcome"] | null;
  readonly expected_pass: boolean | null;
  readonly note?: string;
  readonly error?: ExampleResult["error"];
  readonly duration_ms: number | null;
  readonly started_at?: string;
  readonly input: Record<string, unknown> | null;
  readonly expect: Record<string, unknown> | null;
  readonly answer: string | null;
  readonly data?: Record<string, unknown>;
  readonly scores: Array<Omit<ScoreResult, "details">>;
  readonly usage: Usage | null;
  readonly cost_usd: number | null;
  readonly spans: HtmlSpan[];
  readonly trace_url?: string;
  readonly recording: string;
  readonly rerecord: string | null;
  readonly reproduce: string | null;
  readonly change: HtmlChange | null;
}

export interface HtmlModelOptions {
  /** How the user runs evalgate ("pnpm eval"), for the commands the page shows. */
  readonly command?: string;
}

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  add(text: string): number {
    let at = this.index.get(text);
    if (at === undefined) {
      at = this.strings.push(text) - 1;
      this.index.set(text, at);
    }
    return at;
  }
}

/** Recordings sit beside the dataset file: datasets/<graph>/recordings/v<N>/<id>.json. */
export function recordingPath(file: string, version: number, id: string): string {
  const dir = path.posix.dirname(file.split(path.sep).join("/"));
  return path.posix.join(dir, "recordings", `v${version}`, `${id}.json`);
}

export function exampleKey(graph: string, version: number, id: string): string {
  return `${datasetLabel(graph, version)}/${id}`;
}

const asText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value, null, 2) ?? String(value));
const asNumber = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

function messages(prompt: unknown, table: StringTable): HtmlMessage[] {
  if (!Array.isArray(prompt)) return [{ role: "prompt", content: table.add(asText(prompt)) }];
  return prompt.map((message: unknown) => {
    if (message === null || typeof message !== "object") return { role: "message", content: table.add(asText(message)) };
    const { role, content, ...rest } = message as Record<string, unknown>;
    const shaped: HtmlMessage = { role: typeof role === "string" ? role : "message", content: table.add(asText(content ?? "")) };
    return Object.keys(rest).length > 0 ? { ...shaped, extra: rest } : shaped;
  });
}

/** Lifts the attributes the page shows as columns out of the bag, so the client need not know ATTR. */
function shapeSpan(span: Span, table: StringTable): HtmlSpan {
  const rest: Record<string, unknown> = { ...span.attributes };
  const take = (key: string): unknown => {
    const value = rest[key];
    delete rest[key];
    return value;
  };
  const prompt = take(ATTR.prompt);
  const completion = take(ATTR.completion);
  const model = take(ATTR.model);
  const shaped: { -readonly [K in keyof HtmlSpan]: HtmlSpan[K] } = {
    id: span.id,
    parent: span.parent_id,
    name: span.name,
    kind: span.kind,
    start_ms: span.start_ms,
    duration_ms: span.duration_ms,
    status: span.status,
    attributes: rest,
  };
  if (span.error !== undefined) shaped.error = span.error;
  if (typeof model === "string") shaped.model = model;
  const numbers = [
    ["input_tokens", ATTR.inputTokens],
    ["output_tokens", ATTR.outputTokens],
    ["total_tokens", ATTR.totalTokens],
    ["cost_usd", ATTR.costUsd],
    ["latency_ms", ATTR.latencyMs],
  ] as const;
  for (const [field, key] of numbers) {
    const value = asNumber(rest[key]);
    if (value !== undefined) {
      shaped[field] = value;
      delete rest[key];
    }
  }
  const recorded = rest[ATTR.recorded];
  if (typeof recorded === "boolean") {
    shaped.recorded = recorded;
    delete rest[ATTR.recorded];
  }
  if (span.kind === "tool") {
    const name = take(ATTR.toolName);
    const attempt = asNumber(take(ATTR.toolAttempt));
    const hasResult = ATTR.toolResult in rest;
    const result = take(ATTR.toolResult);
    shaped.tool = {
      name: typeof name === "string" ? name : span.name.replace(/^tool:/, ""),
      args: take(ATTR.toolArgs),
      ...(hasResult ? { result } : {}),
      ...(attempt !== undefined ? { attempt } : {}),
    };
  }
  if (prompt !== undefined) shaped.prompt = messages(prompt, table);
  if (completion !== undefined) shaped.completion = table.add(asText(completion));
  return shaped;
}

function changeOf(change: ExampleChange): HtmlChange {
  const { graph: _graph, dataset_version: _version, id: _id, file: _file, line: _line, tags: _tags, ...rest } = change;
  return rest;
}

function fromResult(example: ExampleResult, change: ExampleChange | undefined, table: StringTable, command: string): HtmlExample {
  return {
    key: exampleKey(example.graph, example.dataset_version, example.id),
    graph: example.graph,
    version: example.dataset_version,
    id: example.id,
    dataset: datasetLabel(example.graph, example.dataset_version),
    file: example.file,
    line: example.line,
    tags: example.tags,
    ...(example.description !== undefined ? { description: example.description } : {}),
    verdict: example.verdict,
    outcome: example.outcome,
    expected_pass: example.expected_pass,
    ...(example.verdict_note !== undefined ? { note: example.verdict_note } : {}),
    ...(example.error !== undefined ? { error: example.error } : {}),
    duration_ms: example.duration_ms,
    ...(example.started_at !== undefined ? { started_at: example.started_at } : {}),
    input: example.input,
    expect: example.expect,
    answer: example.output?.answer ?? null,
    ...(example.output?.data !== undefined ? { data: example.output.data } : {}),
    // Score details can be large (every offset found) and report.json keeps them; the page shows reasons.
    scores: example.scores.map(({ name, pass, score, reason }) => ({ name, pass, score, reason })),
    usage: example.usage,
    cost_usd: example.cost_usd,
    spans: example.spans.map((span) => shapeSpan(span, table)),
    ...(example.trace_url !== undefined ? { trace_url: example.trace_url } : {}),
    recording: recordingPath(example.file, example.dataset_version, example.id),
    rerecord: example.rerecord_command ?? reproduceCommand(example, `${command} --record --stale`),
    reproduce: reproduceCommand(example, command),
    change: change ? changeOf(change) : null,
  };
}

/** An example only the base has: what the comparison kept of it, and no commands (it cannot run at head). */
function fromBaseOnly(change: ExampleChange): HtmlExample {
  return {
    key: exampleKey(change.graph, change.dataset_version, change.id),
    graph: change.graph,
    version: change.dataset_version,
    id: change.id,
    dataset: datasetLabel(change.graph, change.dataset_version),
    file: change.file,
    line: change.line,
    tags: change.tags,
    verdict: null,
    outcome: null,
    expected_pass: null,
    duration_ms: null,
    input: null,
    expect: null,
    answer: null,
    scores: [],
    usage: null,
    cost_usd: null,
    spans: [],
    ...(change.trace_url !== undefined ? { trace_url: change.trace_url } : {}),
    recording: recordingPath(change.file, change.dataset_version, change.id),
    rerecord: null,
    reproduce: null,
    change: changeOf(change),
  };
}

const STATUS_RANK: Record<ExampleChange["status"], number> = { changed: 0, added: 1, removed: 2, unchanged: 3 };

/** Regressions first, as everywhere else; with a comparison, what changed comes before what did not. */
function order(a: HtmlExample, b: HtmlExample): number {
  const status = (e: HtmlExample) => (e.change ? STATUS_RANK[e.change.status] : STATUS_RANK.unchanged);
  const verdict = (e: HtmlExample) => {
    const shown = e.verdict ?? e.change?.base_verdict ?? null;
    return shown === null ? VERDICT_ORDER.length : VERDICT_ORDER.indexOf(shown);
  };
  return status(a) - status(b) || verdict(a) - verdict(b) || byCodeUnits(a.file, b.file) || a.line - b.line || byCodeUnits(a.id, b.id);
}

export function buildHtmlData(report: Report, comparison?: Comparison, options: HtmlModelOptions = {}): HtmlData {
  const command = options.command?.trim() ? options.command : DEFAULT_COMMAND;
  const table = new StringTable();
  const changes = new Map<string, ExampleChange>();
  for (const change of comparison?.examples ?? []) changes.set(exampleKey(change.graph, change.dataset_version, change.id), change);

  const examples: HtmlExample[] = [];
  const seen = new Set<string>();
  for (const example of report.examples) {
    const key = exampleKey(example.graph, example.dataset_version, example.id);
    seen.add(key);
    examples.push(fromResult(example, changes.get(key), table, command));
  }
  // Normally only "removed" entries lack a head result; anything else unpaired is shown the same way rather than lost.
  for (const [key, change] of changes) if (!seen.has(key)) examples.push(fromBaseOnly(change));
  examples.sort(order);

  return {
    version: 1,
    meta: {
      evalgate_version: report.run.evalgate_version,
      gate: report.gate,
      counts: report.counts,
      usage: report.usage,
      cost_usd: report.cost_usd,
      duration_ms: report.duration_ms,
      started_at: report.started_at,
      finished_at: report.finished_at,
      mode: report.run.mode,
      strict: report.run.strict,
      shard: report.run.shard,
      git: report.run.git,
      datasets: report.datasets.map((d) => ({ ...d, label: datasetLabel(d.graph, d.version) })),
      langsmith_url: report.langsmith?.experiment_url ?? null,
      langsmith_error: report.langsmith?.error ?? null,
      compare: comparison
        ? { created_at: comparison.created_at, base: comparison.base, head: comparison.head, gate: comparison.gate, counts: comparison.counts, totals: comparison.totals }
        : null,
    },
    strings: table.strings,
    examples,
  };
}
