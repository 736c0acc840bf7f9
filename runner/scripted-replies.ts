import { createHash } from "node:crypto";
import type { ScriptedReply } from "../core/replies.ts";

/**
 * The answers of a scripted OpenAI-compatible endpoint: which reply a request gets, and the chat
 * completion body built from it. Everything is derived from the request, so authoring the same
 * example twice writes byte-identical recordings.
 */

/** The first reply left whose `when` the request's body text contains (or that has no `when`). */
export function pickReply(queue: ScriptedReply[], bodyText: string): ScriptedReply | null {
  const index = queue.findIndex((r) => r.when === undefined || bodyText.includes(r.when));
  if (index < 0) return null;
  return queue.splice(index, 1)[0]!;
}

export function completionBody(body: any, scripted: ScriptedReply): Record<string, unknown> {
  const requestHash = createHash("sha256").update(JSON.stringify(body)).digest("hex");
  // Without scripted usage, approximate tokens as characters / 4, so replayed usage is never zero.
  const promptChars = JSON.stringify(body?.messages ?? "").length;
  const replyChars = scripted.reply?.length ?? JSON.stringify(scripted.tool_calls ?? []).length;
  const usage = scripted.usage ?? { prompt_tokens: Math.max(1, Math.round(promptChars / 4)), completion_tokens: Math.max(1, Math.round(replyChars / 4)) };
  const toolCalls = scripted.tool_calls?.map((call, i) => ({
    id: call.id ?? `call_${requestHash.slice(0, 16)}_${i}`,
    type: "function",
    function: { name: call.name, arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}) },
  }));
  const message = toolCalls
    ? { role: "assistant", content: null, tool_calls: toolCalls, refusal: null }
    : { role: "assistant", content: scripted.reply ?? "", refusal: null };
  return {
    id: `chatcmpl-scripted-${requestHash.slice(0, 12)}`,
    object: "chat.completion",
    created: 1_763_700_000,
    model: typeof body?.model === "string" ? body.model : "scripted",
    system_fingerprint: "fp_scripted",
    choices: [{ index: 0, message, logprobs: null, finish_reason: toolCalls ? "tool_calls" : "stop" }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
  };
}
