import { ToolError, UnexpectedToolCall, type ToolDispatcher } from "../core/agent.ts";
import type { ToolRecording } from "../core/dataset.ts";
import { ATTR } from "../core/trace.ts";
import { wrapTools } from "../core/wrap-tools.ts";
import { canonicalJson } from "./canonical-json.ts";
import type { Tracer } from "./tracer.ts";

export interface RecordedToolDispatcher extends ToolDispatcher {
  /** Set when the agent made a call with no recording; fails the example even if the agent caught it. */
  readonly unexpected: UnexpectedToolCall | null;
}

/**
 * Serves an example's recorded tool outputs. Recordings with the same call are consumed in order
 * (so "error, then success" models a retried tool); once used up, the last one keeps answering,
 * as a real read-only tool would for an identical call.
 */
export function recordedTools(recordings: readonly ToolRecording[], tracer: Tracer, where: string): RecordedToolDispatcher {
  const byCall = new Map<string, ToolRecording[]>();
  for (const rec of recordings) {
    const key = callKey(rec.call.tool, rec.call.args);
    byCall.set(key, [...(byCall.get(key) ?? []), rec]);
  }
  const used = new Map<string, number>();
  let unexpected: UnexpectedToolCall | null = null;

  const dispatcher: RecordedToolDispatcher = {
    get unexpected() {
      return unexpected;
    },
    wrap(tools) {
      return wrapTools(tools, (name, args) => dispatcher.call(name, args));
    },
    async call(tool, args) {
      const key = callKey(tool, args);
      const attempt = (used.get(key) ?? 0) + 1;
      used.set(key, attempt);
      return tracer.span(`tool:${tool}`, "tool", { [ATTR.toolName]: tool, [ATTR.toolArgs]: args, [ATTR.toolAttempt]: attempt }, async (span) => {
        const queue = byCall.get(key);
        if (!queue) {
          const error = new UnexpectedToolCall(describeMiss(tool, args, recordings, where));
          unexpected ??= error;
          throw error;
        }
        const rec = queue[Math.min(attempt, queue.length) - 1]!;
        if (rec.error !== undefined) {
          span.set({ "evalgate.tool.error": rec.error });
          throw new ToolError(tool, rec.error);
        }
        const result = typeof rec.result === "string" ? rec.result : JSON.stringify(rec.result);
        span.set({ [ATTR.toolResult]: result.length > 2000 ? `${result.slice(0, 2000)}…` : result });
        return result;
      });
    },
  };
  return dispatcher;
}

function callKey(tool: string, args: Record<string, unknown>): string {
  return `${tool} ${canonicalJson(args)}`;
}

function describeMiss(tool: string, args: Record<string, unknown>, recordings: readonly ToolRecording[], where: string): string {
  const call = `${tool}(${canonicalJson(args)})`;
  const sameTool = recordings.filter((r) => r.call.tool === tool).map((r) => `${tool}(${canonicalJson(r.call.args)})`);
  const known = [...new Set(recordings.map((r) => r.call.tool))];
  const nearest = sameTool.length > 0
    ? `recorded calls of ${tool}: ${[...new Set(sameTool)].join(", ")}`
    : known.length > 0 ? `no recording of tool "${tool}"; recorded tools: ${known.join(", ")}` : "the example has no tool recordings";
  return `unexpected tool call ${call} at ${where}: ${nearest}. Add it under the example's \`tools:\` (call + result or error) if the call is right.`;
}
