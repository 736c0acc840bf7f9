/**
 * The JSON-router step shared by the loop agents: the model answers with either
 * `{"tool": "...", "args": {...}}` or `{"answer": "..."}`, possibly wrapped in code fences,
 * preceded by a `<think>` block (DeepSeek) or chatter. We keep only the first balanced JSON object.
 */

export type RouterStep =
  | { kind: "tool"; tool: string; args: Record<string, unknown> }
  | { kind: "answer"; answer: string };

export class RouterParseError extends Error {
  override readonly name = "RouterParseError";
  readonly raw: string;
  constructor(message: string, raw: string) {
    super(`${message}; model said: ${JSON.stringify(raw.length > 200 ? `${raw.slice(0, 200)}…` : raw)}`);
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

export function parseRouterStep(raw: string): RouterStep {
  const body = stripReasoning(raw).replace(/```(?:json)?/gi, "");
  const json = extractBalancedJson(body);
  if (json === null) throw new RouterParseError("expected a JSON object with \"tool\" or \"answer\"", raw);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new RouterParseError(`invalid JSON (${(error as Error).message})`, raw);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RouterParseError("expected a JSON object", raw);
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.answer === "string") return { kind: "answer", answer: obj.answer };
  if (typeof obj.tool === "string" && obj.tool.length > 0) {
    const args = obj.args ?? {};
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
      throw new RouterParseError(`"args" of tool ${obj.tool} must be an object`, raw);
    }
    return { kind: "tool", tool: obj.tool, args: args as Record<string, unknown> };
  }
  throw new RouterParseError("JSON has neither a string \"answer\" nor a \"tool\" name", raw);
}
