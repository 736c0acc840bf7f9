import type { BaseMessage } from "@langchain/core/messages";
import type { z } from "zod";
import { askText, type LlmDeps } from "./message-text.ts";

/**
 * Reading the one JSON object a model was asked for: router steps, plans, drafts, worker replies.
 * Models wrap it in a `<think>` block (DeepSeek), ```json fences or a sentence of chatter; we keep
 * the first balanced object. A bad reply is a `JsonReplyError`. Transport errors (and replay
 * misses) are never caught here: a stale recording must fail the example, not pass for a model
 * mistake.
 */

/** Names the step in error messages, so a console line says which call went wrong. */
export interface ReplyStep {
  /** "email draft", "agentic_search decompose step". */
  step?: string;
  /** The shape that was asked for, e.g. `{"tasks": [1 to 3 strings]}`. */
  expected?: string;
}

const QUOTE_LIMIT = 300;

/** The reply as it appears in an error message: short enough to read in a console line. */
export function quoteReply(raw: string): string {
  return JSON.stringify(raw.length > QUOTE_LIMIT ? `${raw.slice(0, QUOTE_LIMIT)}…` : raw);
}

export class JsonReplyError extends Error {
  override readonly name = "JsonReplyError";
  /** What was wrong, without the step and the quoted reply. */
  readonly problem: string;
  readonly raw: string;
  constructor(problem: string, raw: string, where: ReplyStep = {}) {
    const step = where.step ? `${where.step}: ` : "";
    const expected = where.expected ? `; expected ${where.expected}` : "";
    super(`${step}${problem}${expected}; model said: ${quoteReply(raw)}`);
    this.problem = problem;
    this.raw = raw;
  }
}

/**
 * Drops `<think>…</think>` blocks that come before the JSON. Only those: a literal "<think>"
 * inside a JSON string (a grep pattern, say) is data. An unterminated block (truncated output)
 * swallows the rest, as the model never got to answer.
 */
export function stripReasoning(text: string): string {
  let rest = text;
  for (;;) {
    const open = rest.search(/<think>/i);
    const brace = rest.indexOf("{");
    if (open < 0 || (brace >= 0 && brace < open)) return rest.trim();
    const close = rest.slice(open).search(/<\/think>/i);
    rest = close < 0 ? rest.slice(0, open) : rest.slice(0, open) + rest.slice(open + close + "</think>".length);
  }
}

/** Returns the first balanced `{...}` in `text`, honouring strings and escapes, or null. */
export function extractBalancedJson(text: string): string | null {
  const start = text.indexOf("{");
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return null;
}

export type JsonObjectRead =
  | { ok: true; value: Record<string, unknown> }
  /** `missing`: no complete object at all (prose, or output cut off), as opposed to broken JSON. */
  | { ok: false; missing: boolean; problem: string };

/** The reply's JSON object, or what was wrong with it; callers word their own error around it. */
export function readJsonObject(raw: string): JsonObjectRead {
  const json = extractBalancedJson(stripReasoning(raw).replace(/```(?:json)?/gi, ""));
  if (json === null) return { ok: false, missing: true, problem: "no JSON object in the reply" };
  try {
    // A balanced `{...}` that parses is always an object.
    return { ok: true, value: JSON.parse(json) as Record<string, unknown> };
  } catch (error) {
    return { ok: false, missing: false, problem: `invalid JSON (${(error as Error).message})` };
  }
}

/** The reply's JSON object checked against `schema`; throws `JsonReplyError` naming every issue. */
export function parseJsonReply<S extends z.ZodType>(raw: string, schema: S, where: ReplyStep): z.output<S> {
  const read = readJsonObject(raw);
  if (!read.ok) throw new JsonReplyError(read.problem, raw, where);
  const parsed = schema.safeParse(read.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new JsonReplyError(`unexpected shape (${issues})`, raw, where);
  }
  return parsed.data;
}

/** One model call whose reply must be a JSON object of a known shape. */
export async function askJson<S extends z.ZodType>(deps: LlmDeps, messages: BaseMessage[], schema: S, where: ReplyStep): Promise<z.output<S>> {
  return parseJsonReply(await askText(deps, messages), schema, where);
}
