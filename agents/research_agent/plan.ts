import { z } from "zod";
import { quoteReply, readModelJson } from "../agentic_search/model-json.ts";
import { MAX_TASKS } from "./prompts.ts";

export class PlanParseError extends Error {
  override readonly name = "PlanParseError";
  readonly raw: string;
  constructor(problem: string, raw: string) {
    super(`research_agent plan step: ${problem}; expected {"tasks": [1 to ${MAX_TASKS} strings]}; model said: ${quoteReply(raw)}`);
    this.raw = raw;
  }
}

const Plan = z.object({
  tasks: z.array(z.string().trim().min(1, "a task is empty"))
    .min(1, "the plan has no tasks")
    .max(MAX_TASKS, `at most ${MAX_TASKS} tasks`),
});

/**
 * Each task costs up to ten model calls and a share of the Semantic Scholar rate limit, so an
 * over-long plan is refused rather than run: the trace then shows the plan that was wrong.
 */
export function parsePlan(raw: string): string[] {
  const read = readModelJson(raw);
  if (!read.ok) throw new PlanParseError(read.problem, raw);
  const parsed = Plan.safeParse(read.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new PlanParseError(`${where}${issue?.message ?? "unexpected shape"}`, raw);
  }
  return parsed.data.tasks;
}
