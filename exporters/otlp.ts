import { join } from "node:path";
import type { ExampleResult, Report } from "../core/report.ts";
import { writeChunksAtomic } from "../reports/atomic-write.ts";
import { RowSpool, type SpooledRow } from "../reports/row-spool.ts";
import type { Reporter, ReporterFactory } from "../core/reporter.ts";
import { exampleKey, hexId } from "./ids.ts";
import { createRedactor, redactExample } from "../core/redact.ts";
import { exampleStartTimes, exampleTrace, type TraceNode } from "./trace-tree.ts";

/**
 * The run's traces as an OTLP/JSON ExportTraceServiceRequest: one trace per example, written
 * to `<outDir>/otlp-traces.json` and optionally POSTed to a collector (`<endpoint>/v1/traces`).
 * Ids are derived from the run start and the example key, so exporting a report twice gives
 * byte-identical output and a collector de-duplicates instead of doubling.
 */

export const OTLP_FILE = "otlp-traces.json";

export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: OtlpKeyValue[] } };
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 INTERNAL, 3 CLIENT (model calls). */
  kind: 1 | 3;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  /** 0 UNSET, 2 ERROR. */
  status: { code: 0 } | { code: 2; message: string };
}
export interface OtlpTraceRequest {
  resourceSpans: Array<{
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: OtlpSpan[] }>;
  }>;
}

export function toOtlpJson(report: Report): OtlpTraceRequest {
  const starts = exampleStartTimes(report);
  const spans = report.examples.flatMap((example) => exampleSpans(report.started_at, example, starts.get(exampleKey(example)) ?? 0));
  return { resourceSpans: [{ resource: { attributes: resourceOf(report) }, scopeSpans: [{ scope: scopeOf(report), spans }] }] };
}

/**
 * The same request as text, one example at a time (joined, exactly `JSON.stringify(toOtlpJson)`),
 * so a large run's traces never exist as one object graph; each example is redacted as it goes.
 */
export function otlpJsonChunks(report: Report, redact: ((example: ExampleResult) => ExampleResult) | null, counted: { spans: number }): Generator<string>;
export function otlpJsonChunks(report: Report, redact: ((example: ExampleResult) => ExampleResult) | null, counted: { spans: number }, spool: OtlpSpool | undefined): Generator<string | SpooledRow>;
export function* otlpJsonChunks(report: Report, redact: ((example: ExampleResult) => ExampleResult) | null, counted: { spans: number }, spool?: OtlpSpool): Generator<string | SpooledRow> {
  const starts = exampleStartTimes(report);
  const envelope = JSON.stringify({ resourceSpans: [{ resource: { attributes: resourceOf(report) }, scopeSpans: [{ scope: scopeOf(report), spans: [SPANS_SLOT] }] }] });
  const [head, tail] = envelope.split(JSON.stringify(SPANS_SLOT)) as [string, string];
  yield head;
  let first = true;
  for (const example of report.examples) {
    // Each row after the first comes after its comma, as the spool keeps it.
    const made = spool?.rows.row(example, !first);
    if (made) {
      counted.spans += spool!.spans.get(exampleKey(example)) ?? 0;
      if (made.empty) continue;
      yield made;
      first = false;
      continue;
    }
    const { text: row, spans } = exampleRow(report.started_at, redact ? redact(example) : example, starts.get(exampleKey(example)) ?? 0);
    counted.spans += spans;
    if (!row) continue;
    yield `${first ? "" : SPAN_SEPARATOR}${row}`;
    first = false;
  }
  yield tail;
}

const SPAN_SEPARATOR = ",";

/** An example's spans as the text between the commas of the spans list, and how many there are. */
function exampleRow(runStartedAt: string, example: ExampleResult, start: number): { text: string; spans: number } {
  const spans = exampleSpans(runStartedAt, example, start);
  return { text: spans.map((span) => JSON.stringify(span)).join(","), spans: spans.length };
}

/** Rows made while the run goes on (runner events), put in report order at the end. */
export interface OtlpSpool {
  rows: RowSpool;
  /** Spans per example key (graph@vN/id). */
  spans: Map<string, number>;
}

const SPANS_SLOT = "\u0000evalgate-spans\u0000";

function exampleSpans(runStartedAt: string, example: ExampleResult, start: number): OtlpSpan[] {
  const trace = exampleTrace(example, start);
  const runScope = `${runStartedAt}/${trace.key}`;
  const traceId = hexId(runScope, 16);
  // A parent's id is asked for again by each child: hashed once per span.
  const ids = new Map<string, string>();
  const spanIdOf = (spanId: string) => {
    let id = ids.get(spanId);
    if (id === undefined) ids.set(spanId, (id = hexId(`${runScope}/${spanId}`, 8)));
    return id;
  };
  return trace.nodes.map((node) => toOtlpSpan(node, traceId, spanIdOf));
}

function resourceOf(report: Report): OtlpKeyValue[] {
  const run = report.run;
  return keyValues({
    "service.name": "evalgate",
    "service.version": run.evalgate_version,
    "evalgate.run.mode": run.mode,
    "evalgate.run.started_at": report.started_at,
    ...(run.git.sha !== null && { "vcs.ref.head.revision": run.git.sha }),
    ...(run.git.branch !== null && { "vcs.ref.head.name": run.git.branch }),
    ...(run.shard !== null && { "evalgate.shard.index": run.shard.index, "evalgate.shard.total": run.shard.total }),
  });
}

function scopeOf(report: Report): { name: string; version: string } {
  return { name: "evalgate", version: report.run.evalgate_version };
}

function toOtlpSpan(node: TraceNode, traceId: string, spanIdOf: (id: string) => string): OtlpSpan {
  return {
    traceId,
    spanId: spanIdOf(node.spanId),
    ...(node.parentSpanId !== null && { parentSpanId: spanIdOf(node.parentSpanId) }),
    name: node.name,
    kind: node.kind === "llm" ? 3 : 1,
    startTimeUnixNano: (BigInt(node.startUs) * 1000n).toString(),
    endTimeUnixNano: (BigInt(node.endUs) * 1000n).toString(),
    attributes: keyValues({ ...node.attributes, "evalgate.span.kind": node.kind }),
    status: node.status === "error" ? { code: 2, message: node.error ?? "error" } : { code: 0 },
  };
}

/** Attribute maps to OTLP key/values; null and undefined values are dropped (OTLP has no null). */
export function keyValues(attributes: Record<string, unknown>): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const [key, raw] of Object.entries(attributes)) {
    const value = anyValue(raw);
    if (value !== undefined) out.push({ key, value });
  }
  return out;
}

export function anyValue(value: unknown): OtlpAnyValue | undefined {
  switch (typeof value) {
    case "string":
      return { stringValue: value };
    case "boolean":
      return { boolValue: value };
    case "number":
      return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
    case "bigint":
      return { intValue: value.toString() };
    case "object":
      if (value === null) return undefined;
      if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue).filter((v) => v !== undefined) } };
      return { kvlistValue: { values: keyValues(value as Record<string, unknown>) } };
    default:
      return undefined;
  }
}

export interface OtlpExportOptions {
  /** Absolute directory the file is written to (created if missing). */
  outDir: string;
  /** Collector base URL; the request goes to `<endpoint>/v1/traces` (or to the URL itself if it already ends so). */
  endpoint?: string;
  /** Extra header for the collector (authentication). Never logged. */
  headers?: Record<string, string>;
  /** Extra redaction patterns (regex sources), as langsmith.redact. */
  redact?: string[];
  /** Secret values (keys) the run knows, removed wherever they appear. */
  secrets?: readonly string[];
  /**
   * The report was already redacted with these same secrets and patterns and with every PII rule
   * (a run whose redact.local_pii is on redacts each result once, where it is produced): a second
   * pass over every span attribute would change nothing and cost a tenth of a large run's end.
   */
  preRedacted?: boolean;
  /** Bound on the POST; default 5 s. */
  timeoutMs?: number;
  log: (line: string) => void;
}

export interface OtlpExportResult {
  /** The file written, absent when writing failed. */
  file?: string;
  spans: number;
  posted: boolean;
  status?: number;
  error?: string;
}

/** Writes the OTLP file and POSTs it when an endpoint is given. Never throws: failures are in the result. */
export async function exportOtlp(report: Report, options: OtlpExportOptions, spool?: OtlpSpool): Promise<OtlpExportResult> {
  const counted = { spans: 0 };
  const redact = otlpRedaction(options);
  const result: OtlpExportResult = { spans: 0, posted: false };
  try {
    result.file = await writeChunksAtomic(join(options.outDir, OTLP_FILE), otlpJsonChunks(report, redact, counted, spool));
    result.spans = counted.spans;
  } catch (error) {
    result.error = `could not write ${OTLP_FILE} in ${options.outDir}: ${errorMessage(error)}`;
    options.log(`OTLP: ${result.error}`);
  }
  if (options.endpoint === undefined || options.endpoint === "") return result;
  // Only a POST needs the whole text at once.
  let body: string;
  try {
    counted.spans = 0;
    body = [...otlpJsonChunks(report, redact, counted)].join("");
    result.spans = counted.spans;
  } catch (error) {
    const message = `OTLP export skipped: ${errorMessage(error)}`;
    options.log(message);
    return { ...result, error: message };
  }
  const spans = result.spans;

  const url = tracesUrl(options.endpoint);
  const timeoutMs = options.timeoutMs ?? 5_000;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { ...options.headers, "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    result.status = response.status;
    // Drain the body so the socket is released even on an error status.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) {
      result.posted = true;
      options.log(`OTLP: ${spans} spans sent to ${url}`);
    } else {
      result.error = `collector ${url} answered ${response.status}`;
      options.log(`OTLP: ${result.error}; the traces are still in ${result.file ?? "(no file)"}`);
    }
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : errorMessage(error);
    result.error = `could not POST to ${url}: ${reason}`;
    options.log(`OTLP: ${result.error}; the traces are still in ${result.file ?? "(no file)"}`);
  }
  return result;
}

export function tracesUrl(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, "");
  return trimmed.endsWith("/v1/traces") ? trimmed : `${trimmed}/v1/traces`;
}

/**
 * The `otlp` reporter: exports at the end of the run. The caller resolves the endpoint
 * (for example from OTEL_EXPORTER_OTLP_ENDPOINT) and passes it in; nothing here reads the environment.
 */
export function otlpReporter(options: Omit<OtlpExportOptions, "outDir" | "log"> & { log?: (line: string) => void }): ReporterFactory {
  return (ctx): Reporter => {
    // Each example's spans are made as its result comes in; the end only puts them in order.
    const spool: OtlpSpool = { rows: new RowSpool(SPAN_SEPARATOR), spans: new Map() };
    const redact = otlpRedaction(options);
    let runStartedAt: string | null = null;
    return {
      name: "otlp",
      onEvent(event) {
        if (event.type === "run-start") runStartedAt = event.started_at;
        // An example without its own start time is placed among the others at the end.
        if (event.type !== "example-end" || runStartedAt === null || event.result.started_at === undefined) return;
        const start = Date.parse(event.result.started_at);
        if (!Number.isFinite(start)) return;
        const row = exampleRow(runStartedAt, redact ? redact(event.result) : event.result, start);
        spool.rows.add(event.result, row.text);
        spool.spans.set(exampleKey(event.result), row.spans);
      },
      async onEnd(report) {
        const log = options.log ?? ((line: string) => ctx.stdout.write(`${line}\n`));
        try {
          const result = await exportOtlp(report, { ...options, outDir: ctx.outDir, log }, report.started_at === runStartedAt ? spool : undefined);
          return result.file !== undefined ? [result.file] : [];
        } finally {
          spool.rows.close();
        }
      },
    };
  };
}

/** What the exporter applies to each example before it leaves: nothing when the run already did it all. */
function otlpRedaction(options: Pick<OtlpExportOptions, "preRedacted" | "redact" | "secrets">): ((example: ExampleResult) => ExampleResult) | null {
  if (options.preRedacted) return null;
  const redactor = createRedactor({ patterns: options.redact ?? [], secrets: options.secrets ?? [] });
  return (example) => redactExample(example, redactor);
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
