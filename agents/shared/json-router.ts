import { JsonReplyError, readJsonObject } from "./json-reply.ts";

/**
 * The JSON-router step shared by the loop agents: the model answers with either
 * `{"tool": "...", "args": {...}}` or `{"answer": "..."}`, read like any JSON reply (see
 * json-reply.ts). A bad step is a `JsonReplyError`, whose message goes back to the model.
 */

export type RouterStep =
  | { kind: "tool"; tool: string; args: Record<string, unknown> }
  | { kind: "answer"; answer: string };

export function parseRouterStep(raw: string): RouterStep {
  const read = readJsonObject(raw);
  // The model reads this message in its correction turn: say what a step looks like.
  if (!read.ok) throw new JsonReplyError(read.missing ? "expected a JSON object with \"tool\" or \"answer\"" : read.problem, raw);
  const obj = read.value;
  if (typeof obj.answer === "string") return { kind: "answer", answer: obj.answer };
  if (typeof obj.tool === "string" && obj.tool.length > 0) {
    const args = obj.args ?? {};
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
      throw new JsonReplyError(`"args" of tool ${obj.tool} must be an object`, raw);
    }
    return { kind: "tool", tool: obj.tool, args: args as Record<string, unknown> };
  }
  throw new JsonReplyError("JSON has neither a string \"answer\" nor a \"tool\" name", raw);
}
