import { z } from "zod";
import { parseJsonReply } from "../shared/json-reply.ts";
import { FANOUT } from "./prompts.ts";

const Subqueries = z.object({
  subqueries: z.array(z.string().trim().min(1, "a sub-question is empty")).length(FANOUT, `expected exactly ${FANOUT} sub-questions`),
});

const STEP = { step: "agentic_search decompose step", expected: `{"subqueries": [${FANOUT} strings]}` };

/**
 * The fan-out width is fixed at three workers, so a plan of two or four sub-questions is an
 * error (a `JsonReplyError`) rather than something to pad or trim: silently changing the plan
 * would hide the model's mistake from the trace.
 */
export function parseSubqueries(raw: string): string[] {
  return parseJsonReply(raw, Subqueries, STEP).subqueries;
}
