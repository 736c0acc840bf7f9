import { z } from "zod";
import { defineAgent, type AgentContext } from "../../core/agent.ts";
import { ATTR } from "../../core/trace.ts";
import { runToolLoop } from "../shared/tool-loop.ts";
import { guardedTools } from "./guard.ts";
import { exhaustedAnswer, MAX_STEPS, SYSTEM_PROMPT, userTurn } from "./prompt.ts";

export const TOOLS = ["count_rows", "inspect_schema", "query_db"] as const;

/**
 * admin_chat: read-only Q&A over the lead-gen database for the admin UI. One JSON-router loop;
 * the table whitelist sits between the loop and the dispatcher (see guard.ts).
 */
export default defineAgent({
  graph: "admin_chat",
  input: z.strictObject({ question: z.string().min(1) }),
  maxSteps: MAX_STEPS,
  async run({ question }, ctx) {
    // The shared loop has no pre-dispatch hook, so the guard wraps the dispatcher instead.
    // Built field by field: the runner's context may keep `span` on a prototype.
    const guarded: AgentContext = {
      llm: ctx.llm,
      tools: guardedTools(ctx),
      span: ctx.span.bind(ctx),
      root: ctx.root,
      signal: ctx.signal,
      example: ctx.example,
    };
    const result = await runToolLoop({
      ctx: guarded,
      system: SYSTEM_PROMPT,
      user: userTurn(question),
      tools: TOOLS,
      maxSteps: MAX_STEPS,
    });
    if (result.exhausted) {
      const answer = exhaustedAnswer(MAX_STEPS);
      ctx.root.set({ [ATTR.answer]: answer });
      return { answer, data: { steps: result.steps, tools: result.observations, exhausted: true } };
    }
    return { answer: result.answer, data: { steps: result.steps, tools: result.observations } };
  },
});
