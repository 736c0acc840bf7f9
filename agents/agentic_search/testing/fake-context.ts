import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatOpenAI } from "@langchain/openai";
import { ToolError, UnexpectedToolCall, type AgentContext, type SpanHandle } from "../../../core/agent.ts";
import type { Attributes } from "../../../core/trace.ts";
import { messageText } from "../../shared/message-text.ts";

/**
 * A hand-rolled AgentContext for unit tests of agent logic, without the runner or the gate:
 * scripted model replies, scripted tool results, and spans that just run their function.
 */

export interface ScriptedReply {
  /** Only requests whose messages contain this text get this reply (like `when` in authoring files). */
  when?: string;
  reply: string;
}

export interface ScriptedTool {
  tool: string;
  args: Record<string, unknown>;
  result?: string;
  error?: string;
}

export interface RecordedSpan {
  name: string;
  kind: string;
  attributes: Attributes;
}

export interface FakeContext {
  ctx: AgentContext;
  /** Every prompt sent to the model, as the text of its messages. */
  prompts: string[][];
  toolCalls: { tool: string; args: Record<string, unknown> }[];
  spans: RecordedSpan[];
  root: Attributes;
  /** Runs before each tool result is returned; lets a test hold tool calls back. */
  beforeTool?: (tool: string, args: Record<string, unknown>) => Promise<void>;
}

function sameArgs(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}

export function fakeContext(replies: readonly ScriptedReply[], tools: readonly ScriptedTool[] = []): FakeContext {
  const pendingReplies = [...replies];
  const scriptedTools = [...tools];
  const attempts = new Map<string, number>();
  const fake: FakeContext = {
    ctx: undefined as unknown as AgentContext,
    prompts: [],
    toolCalls: [],
    spans: [],
    root: {},
  };

  const llm = {
    async invoke(messages: BaseMessage[]): Promise<AIMessage> {
      const texts = messages.map(messageText);
      fake.prompts.push(texts);
      const joined = texts.join("\n");
      const index = pendingReplies.findIndex((r) => r.when === undefined || joined.includes(r.when));
      if (index < 0) throw new Error(`fake llm: no scripted reply left for a prompt ending ${JSON.stringify(texts.at(-1))}`);
      const [next] = pendingReplies.splice(index, 1);
      return new AIMessage(next!.reply);
    },
  };

  const handle = (attributes: Attributes): SpanHandle => ({ set: (more) => Object.assign(attributes, more) });

  fake.ctx = {
    llm: llm as unknown as ChatOpenAI,
    tools: {
      async call(tool, args) {
        fake.toolCalls.push({ tool, args });
        await fake.beforeTool?.(tool, args);
        // As the runner serves recordings: same call in order, and the last one keeps answering.
        const matching = scriptedTools.filter((t) => t.tool === tool && sameArgs(t.args, args));
        if (matching.length === 0) throw new UnexpectedToolCall(`no recording for ${tool} ${JSON.stringify(args)}`);
        const key = `${tool} ${JSON.stringify(Object.entries(args).sort())}`;
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        const rec = matching[Math.min(attempt, matching.length) - 1]!;
        if (rec.error !== undefined) throw new ToolError(tool, rec.error);
        return rec.result ?? "";
      },
    },
    async span(name, kind, attributes, fn) {
      const recorded: RecordedSpan = { name, kind, attributes: { ...attributes } };
      fake.spans.push(recorded);
      return fn(handle(recorded.attributes));
    },
    root: handle(fake.root),
    signal: new AbortController().signal,
    example: { id: "unit", graph: "unit", version: 1 },
  };
  return fake;
}
