import { z } from "zod";
import { parseJsonReply } from "../shared/json-reply.ts";
import { MAX_TASKS } from "./prompts.ts";

const Plan = z.object({
  tasks: z.array(z.string().trim().min(1, "a task is empty"))
    .min(1, "the plan has no tasks")
    .max(MAX_TASKS, `at most ${MAX_TASKS} tasks`),
});

const STEP = { step: "research_agent plan step", expected: `{"tasks": [1 to ${MAX_TASKS} strings]}` };

/**
 * Each task costs up to ten model calls and a share of the Semantic Scholar rate limit, so an
 * over-long plan is refused (a `JsonReplyError`) rather than run: the trace then shows the plan
 * that was wrong.
 */
export function parsePlan(raw: string): string[] {
  return parseJsonReply(raw, Plan, STEP).tasks;
}
