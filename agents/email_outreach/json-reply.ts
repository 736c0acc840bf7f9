import type { BaseMessage } from "@langchain/core/messages";
import type { z } from "zod";
import type { AgentContext } from "../../core/agent.ts";
import { extractBalancedJson, stripReasoning } from "../shared/json-router.ts";
import { messageText } from "../shared/message-text.ts";

/**
 * One LLM call whose reply must be a JSON object of a known shape. Used by the email composer and
 * by every pipeline worker; a bad reply is a `JsonReplyError`, which callers treat as a soft
 * failure. Transport errors (and replay misses) are not caught here on purpose: a stale recording
 * must fail the example, not pass for a model mistake.
 */

export class JsonReplyError extends Error {
  override readonly name = "JsonReplyError";
  readonly raw: string;
  constructor(what: string, problem: string, raw: string) {
    const shown = raw.length > 160 ? `${raw.slice(0, 160)}…` : raw;
    super(`${what}: ${problem}; model said: ${JSON.stringify(shown)}`);
    this.raw = raw;
  }
}

export type LlmDeps = Pick<AgentContext, "llm" | "signal">;

export function parseJsonReply<S extends z.ZodType>(raw: string, schema: S, what: string): z.output<S> {
  const json = extractBalancedJson(stripReasoning(raw).replace(/```(?:json)?/gi, ""));
  if (json === null) throw new JsonReplyError(what, "no JSON object in the reply", raw);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new JsonReplyError(what, `invalid JSON (${(error as Error).message})`, raw);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new JsonReplyError(what, `unexpected shape (${issues})`, raw);
  }
  return parsed.data;
}

/** Asks once and parses; returns the raw text too so a caller can continue the conversation. */
export async function askJson<S extends z.ZodType>(deps: LlmDeps, messages: BaseMessage[], schema: S, what: string): Promise<{ value: z.output<S>; text: string }> {
  const reply = await deps.llm.invoke(messages, { signal: deps.signal });
  const text = messageText(reply);
  return { value: parseJsonReply(text, schema, what), text };
}
