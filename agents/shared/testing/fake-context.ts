import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { ToolError, UnexpectedToolCall, type AgentContext, type SpanHandle, type ToolDispatcher } from "evalgate";
import { wrapTools } from "evalgate";
import type { Attributes } from "evalgate";
import { canonicalJson } from "../../../runner/canonical-json.ts";
import { messageText } from "../message-text.ts";

/**
 * The AgentContext double of every agent unit test: agent logic without the runner or the gate.
 * - Model replies are picked as the authoring server picks them: the first unused entry whose
 *   `when` occurs in the request (its messages as JSON), an entry without `when` matching any.
 * - Tools are served as the runner serves recordings: identical calls (same name, same args in
 *   any key order) take their answers in order, and the last answer keeps repeating. A call
 *   nothing answers throws `UnexpectedToolCall`.
 * - Spans just run their function, recording name, kind, attributes and whether it threw.
 */

/** A model reply; with `when`, only for requests that contain it (like `when` in authoring files). */
export interface ScriptedReply {
  when?: string;
  reply: string;
}

/** A tool's output, or `{ error }`, which the tool throws as a `ToolError`. */
export type ToolAnswer = string | { error: string };

/** Answers a call from its args. A list answers repeated identical calls in order. */
export type ToolHandler = (args: Record<string, unknown>) => ToolAnswer | readonly ToolAnswer[];
export type ToolScript = Readonly<Record<string, ToolHandler>>;

/** One recorded call, as in a dataset example's `tools:` list. */
export interface RecordedCall {
  tool: string;
  args: Record<string, unknown>;
  result?: string;
  error?: string;
}

export interface FakeScript {
  /** A bare string is a reply for any request. */
  replies?: readonly (string | ScriptedReply)[];
  /** Handlers by tool name, or recorded calls (several recordings of one call are its answers in order). */
  tools?: ToolScript | readonly RecordedCall[];
  /** Awaited before each tool answers; lets a test hold tool calls back. */
  beforeTool?: (tool: string, args: Record<string, unknown>) => Promise<void>;
}

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
  /** Every tool call the agent made, answered or not. */
  toolCalls: { tool: string; args: Record<string, unknown> }[];
  spans: RecordedSpan[];
  /** Attributes the agent set on the root span. */
  root: Attributes;
  /** Replies nobody asked for (a test usually expects none). */
  unusedReplies(): (string | ScriptedReply)[];
}

export function fakeContext(script: FakeScript = {}): FakeRun {
  const replies = (script.replies ?? []).map((r) => (typeof r === "string" ? { reply: r } : r));
  const used = new Set<number>();
  const handlers = isRecordedCalls(script.tools) ? handlersFor(script.tools) : script.tools ?? {};
  const attempts = new Map<string, number>();
  const run: FakeRun = {
    ctx: undefined as unknown as AgentContext,
    prompts: [],
    toolCalls: [],
    spans: [],
    root: {},
    unusedReplies: () => (script.replies ?? []).filter((_, i) => !used.has(i)),
  };

  const llm = {
    async invoke(messages: BaseMessage[]): Promise<AIMessage> {
      const texts = messages.map(messageText);
      run.prompts.push(texts);
      const request = JSON.stringify(texts);
      const index = replies.findIndex((r, i) => !used.has(i) && (r.when === undefined || request.includes(r.when)));
      if (index < 0) throw new Error(`fake llm: no scripted reply left for request ${run.prompts.length}, which ends: ${JSON.stringify(texts.at(-1)?.slice(0, 200))}`);
      used.add(index);
      // Yield once so parallel workers really interleave, as they do against a server.
      await new Promise((resolve) => setImmediate(resolve));
      return new AIMessage(replies[index]!.reply);
    },
  };

  const handle = (attributes: Attributes): SpanHandle => ({ set: (more) => Object.assign(attributes, more) });

  const tools: ToolDispatcher = {
      wrap: (langchainTools) => wrapTools(langchainTools, (name, args) => tools.call(name, args)),
      // Like the runner's: the output, and a handle on the call's span (recorded in `spans`).
      async invoke(tool, args, options) {
        const span: RecordedSpan = { name: `tool:${tool}`, kind: "tool", attributes: { ...options?.attributes }, status: "ok" };
        run.spans.push(span);
        try {
          return { result: await tools.call(tool, args), span: handle(span.attributes) };
        } catch (error) {
          span.status = "error";
          throw error;
        }
      },
      async call(tool, args) {
        run.toolCalls.push({ tool, args });
        const key = `${tool} ${canonicalJson(args)}`;
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        await script.beforeTool?.(tool, args);
        const handler = handlers[tool];
        if (!handler) throw new UnexpectedToolCall(`fake tools: no handler for ${tool}(${canonicalJson(args)})`);
        const answers = ([] as ToolAnswer[]).concat(handler(args));
        const answer = answers[Math.min(attempt, answers.length) - 1]!;
        if (typeof answer !== "string") throw new ToolError(tool, answer.error);
        return answer;
      },
  };
  // Deterministic vectors from the text (8 dimensions): equal texts embed equally, nothing is called.
  const vector = (text: string) => Array.from({ length: 8 }, (_, i) => ((text.charCodeAt(i % Math.max(1, text.length)) || 0) % 97) / 97);
  const embeddings = { embedQuery: async (text: string) => vector(text), embedDocuments: async (texts: string[]) => texts.map(vector) };
  run.ctx = {
    llm: llm as unknown as ChatOpenAI,
    // One scripted model stands for every model a step asks for.
    model: () => llm as unknown as ChatOpenAI,
    embeddings: () => embeddings as unknown as OpenAIEmbeddings,
    tools,
    async span(name, kind, attributes, fn) {
      const span: RecordedSpan = { name, kind, attributes: { ...attributes }, status: "ok" };
      run.spans.push(span);
      try {
        return await fn(handle(span.attributes));
      } catch (error) {
        span.status = "error";
        throw error;
      }
    },
    root: handle(run.root),
    signal: new AbortController().signal,
    example: { id: "unit", graph: "unit", version: 1 },
  };
  return run;
}

function isRecordedCalls(tools: FakeScript["tools"]): tools is readonly RecordedCall[] {
  return Array.isArray(tools);
}

/** Recorded calls as handlers: the answers of one call, in order; any other args are unexpected. */
function handlersFor(recordings: readonly RecordedCall[]): ToolScript {
  const answers = new Map<string, ToolAnswer[]>();
  for (const rec of recordings) {
    const key = `${rec.tool} ${canonicalJson(rec.args)}`;
    answers.set(key, [...(answers.get(key) ?? []), rec.error !== undefined ? { error: rec.error } : rec.result ?? ""]);
  }
  const handlers: Record<string, ToolHandler> = {};
  for (const tool of new Set(recordings.map((r) => r.tool))) {
    handlers[tool] = (args) => {
      const found = answers.get(`${tool} ${canonicalJson(args)}`);
      if (!found) throw new UnexpectedToolCall(`fake tools: no recording for ${tool}(${canonicalJson(args)})`);
      return found;
    };
  }
  return handlers;
}
