import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { ToolError, UnexpectedToolCall, type AgentContext } from "evalgate";
import { JsonReplyError } from "./json-reply.ts";
import { parseRouterStep } from "./json-router.ts";
import { askText, systemAndUser } from "./message-text.ts";

export interface ToolLoopOptions {
  ctx: AgentContext;
  system: string;
  user: string;
  /** Tools the prompt offers; a call to any other name is fed back to the model as an error. */
  tools: readonly string[];
  maxSteps: number;
  /**
   * Checks a call to an offered tool before it is dispatched. A string is the reason to refuse:
   * the call is never dispatched, the model gets the reason as that tool's error, and the refusal
   * is a `guard:<tool>` span, so the trace shows why no tool span follows the model's request.
   */
  beforeDispatch?: (tool: string, args: Record<string, unknown>) => string | null;
}

export type Observation = { tool: string; args: Record<string, unknown>; result?: string; error?: string };

export interface ToolLoopResult {
  answer: string;
  steps: number;
  /** Tool observations in order (refusals included), for agents that post-process them. */
  observations: Observation[];
  /** true when the loop ran out of steps without an answer. */
  exhausted: boolean;
}

/**
 * The JSON-router loop of admin_chat, agentic_search workers and research tasks: ask the model,
 * dispatch the tool it names, feed the observation back as the next user turn, stop on an answer.
 * A tool error is an observation (the model may recover); garbage output gets one clear
 * correction turn per occurrence and counts as a step.
 */
export async function runToolLoop(opts: ToolLoopOptions): Promise<ToolLoopResult> {
  const { ctx, tools, maxSteps } = opts;
  const messages: BaseMessage[] = systemAndUser(opts.system, opts.user);
  const observations: Observation[] = [];
  for (let step = 1; step <= maxSteps; step++) {
    const text = await askText(ctx, messages);
    messages.push(new AIMessage(text));
    let parsed;
    try {
      parsed = parseRouterStep(text);
    } catch (error) {
      if (!(error instanceof JsonReplyError)) throw error;
      messages.push(new HumanMessage(`Your reply was not valid: ${error.message}. Reply with one JSON object only.`));
      continue;
    }
    if (parsed.kind === "answer") {
      return { answer: parsed.answer, steps: step, observations, exhausted: false };
    }
    if (!tools.includes(parsed.tool)) {
      observations.push({ tool: parsed.tool, args: parsed.args, error: `unknown tool ${parsed.tool}` });
      messages.push(new HumanMessage(`Error: unknown tool "${parsed.tool}". Available tools: ${tools.join(", ")}.`));
      continue;
    }
    const observation = await dispatch(ctx, parsed.tool, parsed.args, opts.beforeDispatch);
    observations.push(observation);
    messages.push(new HumanMessage(observation.error === undefined
      ? `Observation from ${observation.tool}:\n${observation.result!.slice(0, 2000)}`
      : `Error from ${observation.tool}: ${observation.error}`));
  }
  return { answer: "", steps: maxSteps, observations, exhausted: true };
}

/** One tool call: refused by the guard, answered, or failed with a recorded ToolError. */
async function dispatch(ctx: AgentContext, tool: string, args: Record<string, unknown>, guard: ToolLoopOptions["beforeDispatch"]): Promise<Observation> {
  try {
    const refusal = guard?.(tool, args) ?? null;
    if (refusal !== null) {
      // Thrown inside the span so the refusal shows as an error span, like a failed tool call.
      return await ctx.span(`guard:${tool}`, "chain", { tool, args, rejected: refusal }, async () => {
        throw new ToolError(tool, refusal);
      });
    }
    return { tool, args, result: await ctx.tools.call(tool, args) };
  } catch (error) {
    if (error instanceof UnexpectedToolCall || !(error instanceof ToolError)) throw error;
    return { tool, args, error: error.message };
  }
}
