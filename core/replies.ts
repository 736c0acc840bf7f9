import { z } from "zod";

/**
 * Scripted model replies: `datasets/<graph>/authoring/v<N>.replies.yaml`, served by
 * `--record --replies` from a loopback OpenAI-compatible server so recordings can be authored
 * where no model can be reached. Per example, a list of replies consumed in order; a reply with
 * `when` answers only a request whose body contains that text (parallel fan-out picks by content).
 */
export const ScriptedToolCall = z.strictObject({
  name: z.string().min(1),
  /** An object (JSON-encoded for the wire) or the raw arguments string. */
  arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).default({}),
  /** The tool call id; derived from the request when omitted, so re-authoring is byte-stable. */
  id: z.string().min(1).optional(),
});

export const ScriptedReply = z.strictObject({
  /** The assistant's text. */
  reply: z.string().optional(),
  /** Native tool calls (`bindTools`, LangGraph's ToolNode) instead of text. */
  tool_calls: z.array(ScriptedToolCall).min(1).optional(),
  when: z.string().min(1).optional(),
  usage: z.strictObject({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).optional(),
}).refine((r) => (r.reply === undefined) !== (r.tool_calls === undefined), { message: "a scripted reply needs exactly one of `reply` or `tool_calls`" });
export type ScriptedReply = z.input<typeof ScriptedReply>;

export const RepliesFile = z.strictObject({
  examples: z.record(z.string(), z.array(ScriptedReply)),
});
export type RepliesFile = z.infer<typeof RepliesFile>;

/** Beside the dataset: datasets/<graph>/authoring/v<N>.replies.yaml. */
export function repliesPathFor(datasetDir: string, version: number): string {
  return `${datasetDir}/authoring/v${version}.replies.yaml`;
}
