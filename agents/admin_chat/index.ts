import { z } from "zod";
import { defineAgent } from "evalgate";
import { ATTR } from "evalgate";
import { runToolLoop } from "../shared/tool-loop.ts";
import { rejectReason } from "./guard.ts";
import { exhaustedAnswer, MAX_STEPS, SYSTEM_PROMPT, userTurn } from "./prompt.ts";

export const TOOLS = ["count_rows", "inspect_schema", "query_db"] as const;

/**
 * admin_chat: read-only Q&A over the lead-gen database for the admin UI. One JSON-router loop;
 * the table whitelist refuses bad calls before they are dispatched (see guard.ts).
 */
export default defineAgent({
  graph: "admin_chat",
  input: z.strictObject({ question: z.string().min(1) }),
  maxSteps: MAX_STEPS,
  async run({ question }, ctx) {
    const result = await runToolLoop({
      ctx,
      system: SYSTEM_PROMPT,
      user: userTurn(question),
      tools: TOOLS,
      maxSteps: MAX_STEPS,
      beforeDispatch: rejectReason,
    });
    if (result.exhausted) {
      const answer = exhaustedAnswer(MAX_STEPS);
      ctx.root.set({ [ATTR.answer]: answer });
      return { answer, data: { steps: result.steps, tools: result.observations, exhausted: true } };
    }
    return { answer: result.answer, data: { steps: result.steps, tools: result.observations } };
  },
});
