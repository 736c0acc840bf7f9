import type { ExampleResult, Report } from "../core/report.ts";
import type { SpanKind } from "../core/trace.ts";
import { exampleKey } from "./ids.ts";

/**
 * One example's spans as a rooted tree with absolute times: the shape both exporters send.
 * LangSmith links one root run to the dataset example and OTLP wants one root per trace, so:
 * when exactly one span has no parent (the runner's `agent_run:<graph>`) it is the root;
 * otherwise (no spans, several roots) a synthetic `example` root holds them.
 */

export const SYNTHETIC_ROOT_ID = "evalgate:example";

export interface TraceNode {
  readonly spanId: string;
  /** null only for the root. */
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: SpanKind | "example";
  /** Epoch microseconds. A child never starts before its parent; nothing ends before it starts. */
  readonly startUs: number;
  readonly endUs: number;
  readonly status: "ok" | "error";
  readonly error?: string;
  readonly attributes: Record<string, unknown>;
}

export interface ExampleTrace {
  /** `<graph>@v<version>/<id>` */
  readonly key: string;
  readonly root: TraceNode;
  /** Root first, then depth-first, parents before children, siblings by start time. */
  readonly nodes: readonly TraceNode[];
}

/** Example-level facts put on the root, whatever its origin. */
export function exampleAttributes(example: ExampleResult): Record<string, unknown> {
  return {
    "evalgate.example.id": example.id,
    "evalgate.example.graph": example.graph,
    "evalgate.dataset.version": example.dataset_version,
    "evalgate.example.file": example.file,
    "evalgate.example.line": example.line,
    "evalgate.example.tags": example.tags,
    "evalgate.example.expected_pass": example.expected_pass,
    "evalgate.example.outcome": example.outcome,
    "evalgate.example.verdict": example.verdict,
    ...(example.cost_usd !== null && { "evalgate.cost_usd": example.cost_usd }),
  };
}

export function exampleTrace(example: ExampleResult, startEpochMs: number): ExampleTrace {
  const startUs = Math.round(startEpochMs * 1000);
  const byId = new Map(example.spans.map((span, index) => [span.id, { span, index }]));
  const topLevel = example.spans.filter((s) => s.parent_id === null || !byId.has(s.parent_id) || s.parent_id === s.id);
  const adopted = topLevel.length === 1 ? topLevel[0]! : undefined;
  const rootId = adopted?.id ?? SYNTHETIC_ROOT_ID;

  const children = new Map<string, string[]>();
  const attach = (parent: string, child: string) => children.set(parent, [...(children.get(parent) ?? []), child]);
  for (const span of example.spans) {
    if (span.id === rootId) continue;
    const parent = span.parent_id !== null && byId.has(span.parent_id) && span.parent_id !== span.id ? span.parent_id : rootId;
    attach(parent, span.id);
  }

  const rootStartUs = adopted ? startUs + Math.round(adopted.start_ms * 1000) : startUs;
  const rootDurationUs = Math.round((adopted ? adopted.duration_ms : example.duration_ms) * 1000);
  const root: TraceNode = {
    spanId: rootId,
    parentSpanId: null,
    name: adopted?.name ?? example.id,
    kind: adopted?.kind ?? "example",
    startUs: rootStartUs,
    endUs: rootStartUs + Math.max(0, rootDurationUs),
    status: adopted ? adopted.status : example.outcome === "error" ? "error" : "ok",
    ...(adopted?.error !== undefined ? { error: adopted.error } : !adopted && example.error ? { error: `${example.error.kind}: ${example.error.message}` } : {}),
    attributes: { ...(adopted?.attributes ?? {}), ...exampleAttributes(example) },
  };

  const nodes: TraceNode[] = [root];
  const visited = new Set<string>([rootId]);
  const visit = (parent: TraceNode) => {
    const kids = (children.get(parent.spanId) ?? [])
      .map((id) => byId.get(id)!)
      .sort((a, b) => a.span.start_ms - b.span.start_ms || a.index - b.index);
    for (const { span } of kids) {
      if (visited.has(span.id)) continue;
      visited.add(span.id);
      const s = Math.max(parent.startUs, startUs + Math.round(span.start_ms * 1000));
      const node: TraceNode = {
        spanId: span.id,
        parentSpanId: parent.spanId,
        name: span.name,
        kind: span.kind,
        startUs: s,
        endUs: s + Math.max(0, Math.round(span.duration_ms * 1000)),
        status: span.status,
        ...(span.error !== undefined && { error: span.error }),
        attributes: span.attributes,
      };
      nodes.push(node);
      visit(node);
    }
  };
  visit(root);
  // Spans caught in a parent cycle are unreachable from the root: keep them, under the root.
  for (const span of example.spans) {
    if (visited.has(span.id)) continue;
    children.set(rootId, [span.id]);
    visit(root);
  }
  return { key: exampleKey(example), root, nodes };
}

/**
 * Epoch start (ms) of every example, by example key. A report stores only each example's
 * duration, so the start is reconstructed deterministically: an example's own `started_at`
 * when the report has one; otherwise the examples, in report order, are laid on
 * `run.concurrency` parallel lanes from `report.started_at`, each taking the lane that frees
 * up first. Exact for concurrency 1, a faithful approximation above it.
 */
export function exampleStartTimes(report: Report): Map<string, number> {
  const origin = Date.parse(report.started_at);
  const base = Number.isFinite(origin) ? origin : 0;
  const lanes = new Array<number>(Math.max(1, report.run.concurrency)).fill(base);
  const starts = new Map<string, number>();
  for (const example of report.examples) {
    const own = "started_at" in example && typeof example.started_at === "string" ? Date.parse(example.started_at) : NaN;
    if (Number.isFinite(own)) {
      starts.set(exampleKey(example), own);
      continue;
    }
    let lane = 0;
    for (let i = 1; i < lanes.length; i++) if (lanes[i]! < lanes[lane]!) lane = i;
    const start = lanes[lane]!;
    lanes[lane] = start + Math.max(0, example.duration_ms);
    starts.set(exampleKey(example), start);
  }
  return starts;
}
