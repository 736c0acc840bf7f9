import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatOpenAI } from "@langchain/openai";
import { ToolError, UnexpectedToolCall, type AgentContext, type SpanHandle } from "../../core/agent.ts";
import type { Attributes } from "../../core/trace.ts";
import { messageText } from "../shared/message-text.ts";

/**
 * Test double for AgentContext, shared by the email_outreach and pipeline unit tests: scripted
 * model replies (picked like the authoring server picks them: the first unused entry whose
 * `when` occurs in the request, entries without `when` match anything), scripted tools, and a
 * span recorder that simply runs the function.
 */

export interface ScriptedReply {
  when?: string;
  reply: string;
}

/** A tool answers with a string, or fails: `{ error }` becomes a ToolError. A list is consumed in order, the last entry repeating. */
export type ToolAnswer = string | { error: string };
export type ToolScript = Record<string, (args: Record<string, unknown>) => ToolAnswer | ToolAnswer[] | Promise<ToolAnswer>>;

export interface RecordedSpan {
  name: string;
  kind: string;
  attributes: Attributes;
  status: "ok" | "error";
}

export interface FakeRun {
  ctx: AgentContext;
  /** The text of every request's messages, in the order the model was asked. */
  prompts: string[][];
  toolCalls: { tool: string; args: Record<string, unknown> }[];
  spans: RecordedSpan[];
  root: Attributes;
  /** Replies nobody asked for (a test usually expects none). */
  unusedReplies(): ScriptedReply[];
}

export function fakeContext(script: { replies?: ScriptedReply[]; tools?: ToolScript }): FakeRun {
  const replies = [...(script.replies ?? [])];
  const used = new Set<number>();
  const prompts: string[][] = [];
  const toolCalls: FakeRun["toolCalls"] = [];
  const spans: RecordedSpan[] = [];
  const root: Attributes = {};
  const callCounts = new Map<string, number>();

  const llm = {
    async invoke(messages: BaseMessage[]): Promise<AIMessage> {
      const texts = messages.map((m) => messageText(m));
      prompts.push(texts);
      const request = JSON.stringify(texts);
      const index = replies.findIndex((r, i) => !used.has(i) && (r.when === undefined || request.includes(r.when)));
      if (index < 0) throw new Error(`no scripted reply left for a request ending: ${texts.at(-1)?.slice(0, 200)}`);
      used.add(index);
      // Yield once so parallel workers really interleave, as they do against a server.
      await new Promise((resolve) => setImmediate(resolve));
      return new AIMessage(replies[index]!.reply);
    },
  } as unknown as ChatOpenAI;

  const tools = {
    async call(tool: string, args: Record<string, unknown>): Promise<string> {
      toolCalls.push({ tool, args });
      const handler = script.tools?.[tool];
      if (!handler) throw new UnexpectedToolCall(`unexpected tool call ${tool}(${JSON.stringify(args)})`);
      const key = `${tool} ${JSON.stringify(args)}`;
      const attempt = (callCounts.get(key) ?? 0) + 1;
      callCounts.set(key, attempt);
      const scripted = await handler(args);
      const answer = Array.isArray(scripted) ? scripted[Math.min(attempt, scripted.length) - 1]! : scripted;
      if (typeof answer !== "string") throw new ToolError(tool, answer.error);
      return answer;
    },
  };

  const ctx: AgentContext = {
    llm,
    tools,
    async span(name, kind, attributes, fn) {
      const span: RecordedSpan = { name, kind, attributes: { ...attributes }, status: "ok" };
      spans.push(span);
      const handle: SpanHandle = { set: (attrs) => Object.assign(span.attributes, attrs) };
      try {
        return await fn(handle);
      } catch (error) {
        span.status = "error";
        throw error;
      }
    },
    root: { set: (attrs) => Object.assign(root, attrs) },
    signal: new AbortController().signal,
    example: { id: "unit", graph: "unit", version: 1 },
  };

  return { ctx, prompts, toolCalls, spans, root, unusedReplies: () => replies.filter((_, i) => !used.has(i)) };
}
