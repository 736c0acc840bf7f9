import type { StructuredToolInterface } from "@langchain/core/tools";
import type { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import type { z } from "zod";
import type { Attributes } from "./trace.ts";

/**
 * The contract between the runner and an agent under test. An agent module's default export
 * is an `Agent`; the runner builds a fresh `AgentContext` for every example.
 */

export interface SpanHandle {
  /** Adds or overwrites attributes on this span. */
  set(attributes: Attributes): void;
}

export interface ToolCallOptions {
  /** Attributes for the call's `tool:<name>` span, set when it opens. */
  attributes?: Attributes;
}

export interface ToolDispatcher {
  /**
   * Dispatches a tool call. During a run the result comes from the example's recorded `tools`.
   * Throws `ToolError` when the recording says the tool failed (agents may catch it and carry on).
   * An unrecorded call throws `UnexpectedToolCall`, which fails the example even if caught.
   */
  call(tool: string, args: Record<string, unknown>, options?: ToolCallOptions): Promise<string>;
  /**
   * The same dispatch, returning the output and a handle on the call's `tool:<name>` span, so the
   * agent can put what it learnt from the output on the span itself (a rerank's top-1 id, the
   * retrieved doc ids) instead of wrapping the call in a span of its own.
   */
  invoke(tool: string, args: Record<string, unknown>, options?: ToolCallOptions): Promise<{ result: string; span: SpanHandle }>;
  /**
   * The same LangChain tools (`tool()`, `StructuredTool`), same names, descriptions and schemas,
   * answering from the example's recorded `tools` instead of running: hand them to `bindTools` and
   * a LangGraph `ToolNode` and a native tool-calling agent runs unchanged.
   */
  wrap<T extends StructuredToolInterface>(tools: readonly T[]): StructuredToolInterface[];
}

/** A model other than the graph's default, for agents whose steps use different models. */
export type ModelChoice = string | { model: string; temperature?: number };

export interface AgentContext {
  /** The real LangChain client; its HTTP traffic is replayed, recorded or sent live by the runner. */
  readonly llm: ChatOpenAI;
  /** A client for another model (same endpoint, replayed, recorded and priced the same way); cached per choice. */
  model(choice: ModelChoice): ChatOpenAI;
  /**
   * An embeddings client on the same endpoint, replayed, recorded and priced like the LLM: each
   * call is an `embeddings <model>` span of kind `embedding` with its input tokens and cost (not a
   * step of the agent loop).
   */
  embeddings(model: string): OpenAIEmbeddings;
  readonly tools: ToolDispatcher;
  /**
   * Runs `fn` inside a child span of the current one (phases, fan-out workers, tool dispatches
   * you want to name yourself). LLM calls and tool dispatches are traced automatically.
   */
  span<T>(name: string, kind: "phase" | "worker" | "chain", attributes: Attributes, fn: (span: SpanHandle) => Promise<T>): Promise<T>;
  /** Attributes on the root `agent_run:<graph>` span. */
  readonly root: SpanHandle;
  /** Aborted when the example times out. */
  readonly signal: AbortSignal;
  readonly example: { readonly id: string; readonly graph: string; readonly version: number };
}

export interface AgentOutput {
  /** The text the must_contain / must_not_contain / regex scorers read. */
  answer: string;
  /** Anything structured the agent wants in the report (drafts, stage reports, citations…). */
  data?: Record<string, unknown>;
}

export interface Agent<Schema extends z.ZodType = z.ZodType> {
  readonly graph: string;
  /** Validates each example's `input` at dataset load, so a bad input is a dataset error with file:line. */
  readonly input: Schema;
  /** Loop limit, recorded on the root span. */
  readonly maxSteps?: number;
  run(input: z.output<Schema>, ctx: AgentContext): Promise<AgentOutput>;
}

export function defineAgent<Schema extends z.ZodType>(agent: Agent<Schema>): Agent<Schema> {
  return agent;
}

/**
 * `instanceof` must hold across two copies of this module (an agent importing evalgate from its
 * own checkout while another copy runs it, as when a base branch is replayed): the classes are
 * recognised by a registered symbol, not by identity.
 */
const TOOL_ERROR = Symbol.for("evalgate.ToolError");
const UNEXPECTED_TOOL_CALL = Symbol.for("evalgate.UnexpectedToolCall");
const branded = (value: unknown, brand: symbol) => typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;

/** A recorded tool failure: the agent is meant to see it, as it would see a real tool error. */
export class ToolError extends Error {
  override readonly name = "ToolError";
  readonly tool: string;
  readonly [TOOL_ERROR] = true;
  constructor(tool: string, message: string) {
    super(message);
    this.tool = tool;
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, TOOL_ERROR);
  }
}

/** A tool call with no recording: the example cannot be judged, whatever the agent does with it. */
export class UnexpectedToolCall extends Error {
  override readonly name = "UnexpectedToolCall";
  readonly [UNEXPECTED_TOOL_CALL] = true;
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, UNEXPECTED_TOOL_CALL);
  }
}
