import { AsyncLocalStorage } from "node:async_hooks";
import { performance } from "node:perf_hooks";
import type { SpanHandle } from "../core/agent.ts";
import type { Attributes, Span, SpanKind } from "../core/trace.ts";
import type { NetworkScope } from "./network-guard.ts";

interface OpenSpan extends SpanHandle {
  readonly id: string;
}

interface Current extends OpenSpan {
  readonly tracer: Tracer;
}

/**
 * One store for every tracer of the process. On Node 22 each AsyncLocalStorage instance that was
 * ever entered adds work to every async resource created afterwards, so one instance per example
 * made a long run slower with each example (measured by bench/replay-bench.ts).
 */
const current = new AsyncLocalStorage<Current>();

/**
 * Collects the span tree of one example run. The current span travels in AsyncLocalStorage, so
 * LLM calls made deep inside LangChain and tool dispatches nest under whichever phase or worker
 * span the agent opened, including across parallel fan-out.
 */
export class Tracer {
  readonly spans: Span[] = [];
  /** What the network guard does with requests made while this example runs. */
  network: NetworkScope | null = null;

  /** The tracer of the example whose code is running right now, if any. */
  static active(): Tracer | null {
    return current.getStore()?.tracer ?? null;
  }

  private readonly origin = performance.now();
  private nextId = 1;

  /** The span code is running in right now (the root when nothing else is open). */
  currentSpanId(): string | null {
    const store = current.getStore();
    return store?.tracer === this ? store.id : null;
  }

  async span<T>(name: string, kind: SpanKind, attributes: Attributes, fn: (span: SpanHandle) => Promise<T>): Promise<T> {
    const span = this.open(name, kind, attributes);
    const handle: Current = { id: span.id, tracer: this, set: (attrs) => Object.assign(span.attributes, attrs) };
    try {
      const result = await current.run(handle, () => fn(handle));
      this.close(span);
      return result;
    } catch (error) {
      this.close(span, error);
      throw error;
    }
  }

  /** Runs fn as if inside span `id`: spans it opens become that span's children (the judges, under the finished agent_run). */
  within<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return current.run({ id, tracer: this, set: () => {} }, fn);
  }

  /** Opens a span that the caller closes itself (for work that is not one async function). */
  open(name: string, kind: SpanKind, attributes: Attributes): Span {
    const span: Span = {
      id: `s${this.nextId++}`,
      parent_id: this.currentSpanId(),
      name,
      kind,
      start_ms: round(performance.now() - this.origin),
      duration_ms: 0,
      status: "ok",
      attributes: { ...attributes },
    };
    this.spans.push(span);
    return span;
  }

  close(span: Span, error?: unknown): void {
    span.duration_ms = round(performance.now() - this.origin - span.start_ms);
    if (error !== undefined) {
      span.status = "error";
      span.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
