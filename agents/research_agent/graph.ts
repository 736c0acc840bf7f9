import type { AgentContext, AgentOutput } from "evalgate";
import { ATTR } from "evalgate";
import { askText, systemAndUser } from "../shared/message-text.ts";
import { synthesize } from "../shared/synthesis.ts";
import { runToolLoop } from "../shared/tool-loop.ts";
import { measureHouseStyle, type HouseStyle, type PaperRef } from "./house-style.ts";
import { parsePlan } from "./plan.ts";
import { PLAN_SYSTEM, planUser, SYNTHESIZE_SYSTEM, synthesizeUser, TASK_MAX_STEPS, TASK_SYSTEM, TASK_TOOLS, taskUser } from "./prompts.ts";

export interface TaskResult {
  task: string;
  answer: string;
  steps: number;
  exhausted: boolean;
  house_style: HouseStyle;
  papers: PaperRef[];
}

async function runTask(ctx: AgentContext, brief: string, task: string, index: number, of: number): Promise<TaskResult> {
  return ctx.span(`task:${index}`, "worker", { task }, async (span) => {
    const loop = await runToolLoop({
      ctx,
      system: TASK_SYSTEM,
      user: taskUser(brief, task, index, of),
      tools: TASK_TOOLS,
      maxSteps: TASK_MAX_STEPS,
    });
    const { style, papers } = measureHouseStyle(loop.observations);
    span.set({ steps: loop.steps, exhausted: loop.exhausted, ...style });
    return { task, answer: loop.answer, steps: loop.steps, exhausted: loop.exhausted, house_style: style, papers };
  });
}

export async function runResearch(input: { brief: string }, ctx: AgentContext): Promise<AgentOutput> {
  const tasks = await ctx.span("plan", "phase", {}, async (span) => {
    const parsed = parsePlan(await askText(ctx, systemAndUser(PLAN_SYSTEM, planUser(input.brief))));
    span.set({ tasks: parsed });
    return parsed;
  });

  // Tasks run one after another, unlike agentic_search's workers: they all draw on one Semantic
  // Scholar rate limit (about one request a second with a key), so parallel tasks would mostly
  // trade wall time for 429s, and sequential tasks keep each task's quota visible in the trace.
  const results: TaskResult[] = [];
  for (const [i, task] of tasks.entries()) {
    results.push(await runTask(ctx, input.brief, task, i + 1, tasks.length));
  }

  const report = await synthesize(ctx, SYNTHESIZE_SYSTEM, synthesizeUser(input.brief, results), { tasks: results.length });

  // The root span carries the run's answer and its model calls (plan + every task + synthesis).
  ctx.root.set({ [ATTR.answer]: report, [ATTR.steps]: 1 + results.reduce((sum, r) => sum + r.steps, 0) + 1 });
  return {
    answer: report,
    data: {
      tasks,
      task_results: results,
      papers: dedupePapers(results.flatMap((r) => r.papers)),
    },
  };
}

function dedupePapers(papers: PaperRef[]): PaperRef[] {
  const byId = new Map<string, PaperRef>();
  for (const p of papers) if (!byId.has(p.paper_id)) byId.set(p.paper_id, p);
  return [...byId.values()];
}
