import type { AgentContext, AgentOutput } from "evalgate";
import { ATTR } from "evalgate";
import { askText, systemAndUser } from "../shared/message-text.ts";
import { synthesize } from "../shared/synthesis.ts";
import { runToolLoop } from "../shared/tool-loop.ts";
import { extractCitations } from "./citations.ts";
import { parseSubqueries } from "./decompose.ts";
import {
  DECOMPOSE_SYSTEM, decomposeUser, FANOUT, SYNTHESIZE_SYSTEM, synthesizeUser, WORKER_MAX_STEPS, WORKER_SYSTEM,
  WORKER_TOOLS, workerUser,
} from "./prompts.ts";

export interface AgenticSearchInput {
  query: string;
  decompose?: boolean | undefined;
}

export interface WorkerResult {
  subquery: string;
  answer: string;
  steps: number;
  exhausted: boolean;
}

/** One worker: its own JSON-router loop over glob → grep → read, inside its own worker span. */
async function runWorker(ctx: AgentContext, query: string, subquery: string, index: number, of: number): Promise<WorkerResult> {
  const name = of === 1 ? "worker:search" : `worker:search[${index}]`;
  return ctx.span(name, "worker", { subquery }, async (span) => {
    const loop = await runToolLoop({
      ctx,
      system: WORKER_SYSTEM,
      user: workerUser(query, subquery, index, of),
      tools: WORKER_TOOLS,
      maxSteps: WORKER_MAX_STEPS,
    });
    span.set({ steps: loop.steps, exhausted: loop.exhausted, tool_calls: loop.observations.length });
    return { subquery, answer: loop.answer, steps: loop.steps, exhausted: loop.exhausted };
  });
}

export async function runAgenticSearch(input: AgenticSearchInput, ctx: AgentContext): Promise<AgentOutput> {
  const decompose = input.decompose ?? true;

  if (!decompose) {
    const worker = await runWorker(ctx, input.query, input.query, 1, 1);
    finish(ctx, worker.answer, worker.steps);
    return {
      answer: worker.answer,
      data: { subqueries: [], workers: [publicWorker(worker)], citations: extractCitations(worker.answer) },
    };
  }

  const subqueries = await ctx.span("decompose", "phase", {}, async (span) => {
    const parsed = parseSubqueries(await askText(ctx, systemAndUser(DECOMPOSE_SYSTEM, decomposeUser(input.query))));
    span.set({ subqueries: parsed });
    return parsed;
  });

  // The three workers are independent searches, so they run at once: wall time is the slowest
  // worker, not the sum. Each has its own message history; only the tool dispatcher is shared.
  const workers = await Promise.all(subqueries.map((sub, i) => runWorker(ctx, input.query, sub, i + 1, FANOUT)));

  const report = await synthesize(ctx, SYNTHESIZE_SYSTEM, synthesizeUser(input.query, workers), { workers: workers.length });

  const llmCalls = 1 + workers.reduce((sum, w) => sum + w.steps, 0) + 1;
  finish(ctx, report, llmCalls);
  return {
    answer: report,
    data: { subqueries, workers: workers.map(publicWorker), citations: extractCitations(report) },
  };
}

function publicWorker(w: WorkerResult): { subquery: string; answer: string; steps: number } {
  return { subquery: w.subquery, answer: w.answer, steps: w.steps };
}

/** The root span carries the run's answer and its model calls, not any one worker's. */
function finish(ctx: AgentContext, answer: string, steps: number): void {
  ctx.root.set({ [ATTR.answer]: answer, [ATTR.steps]: steps });
}
