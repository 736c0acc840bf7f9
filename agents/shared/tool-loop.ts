import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { ToolError, UnexpectedToolCall, type AgentContext } from "../../core/agent.ts";
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
}

export interface ToolLoopResult {
  answer: string;
  steps: number;
  /** Tool observations in order, for agents that post-process them (citations, synthesis). */
  observations: { tool: string; args: Record<string, unknown>; result?: string; error?: string }[];
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
  const observations: ToolLoopResult["observations"] = [];
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
    try {
      const result = await ctx.tools.call(parsed.tool, parsed.args);
      observations.push({ tool: parsed.tool, args: parsed.args, result });
      messages.push(new HumanMessage(`Observation from ${parsed.tool}:\n${result.slice(0, 2000)}`));
    } catch (error) {
      if (error instanceof UnexpectedToolCall || !(error instanceof ToolError)) throw error;
      observations.push({ tool: parsed.tool, args: parsed.args, error: error.message });
      messages.push(new HumanMessage(`Error from ${parsed.tool}: ${error.message}`));
    }
  }
  return { answer: "", steps: maxSteps, observations, exhausted: true };
}
