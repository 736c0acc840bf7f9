import { performance } from "node:perf_hooks";
import type { AgentContext, SpanHandle } from "evalgate";
import type { Attributes } from "evalgate";
import type { PhaseName, StageReport } from "./schema.ts";
import { softFailure } from "./tool-call.ts";

export interface PhaseOutcome<T> {
  processed: number;
  created: number;
  errors: string[];
  value: T;
}

/** Runs one phase in its `phase:<name>` span and puts the StageReport on that span. */
export async function runPhase<T>(
  ctx: AgentContext,
  phase: PhaseName,
  attributes: Attributes,
  body: (span: SpanHandle) => Promise<PhaseOutcome<T>>,
): Promise<{ report: StageReport; value: T }> {
  return ctx.span(`phase:${phase}`, "phase", attributes, async (span) => {
    const started = performance.now();
    const outcome = await body(span);
    const report: StageReport = {
      processed: outcome.processed,
      created: outcome.created,
      errors: outcome.errors,
      duration_ms: Math.round(performance.now() - started),
    };
    span.set({ ...report });
    return { report, value: outcome.value };
  });
}

export interface FanOutResult<R> {
  /** Successful results, in input order. */
  done: { id: number; result: R }[];
  /** One line per failed worker, keyed by id ("company 43: …"). */
  errors: string[];
}

/**
 * One worker span per id, all at once (the Send fan-out). A soft failure lands in `errors` and
 * marks only that worker's span as failed; anything else aborts the run.
 */
export async function fanOut<R>(
  ctx: AgentContext,
  ids: readonly number[],
  worker: { span: (id: number) => string; key: string; label: string },
  work: (id: number, span: SpanHandle) => Promise<R>,
): Promise<FanOutResult<R>> {
  type Settled = { id: number; ok: true; result: R } | { id: number; ok: false; error: string };
  const settled = await Promise.all(ids.map(async (id): Promise<Settled> => {
    try {
      const result = await ctx.span(worker.span(id), "worker", { [worker.key]: id }, (span) => work(id, span));
      return { id, ok: true, result };
    } catch (error) {
      const message = softFailure(error);
      if (message === null) throw error;
      return { id, ok: false, error: `${worker.label} ${id}: ${message}` };
    }
  }));
  const done: FanOutResult<R>["done"] = [];
  const errors: string[] = [];
  for (const s of settled) {
    if (s.ok) done.push({ id: s.id, result: s.result });
    else errors.push(s.error);
  }
  return { done, errors };
}
