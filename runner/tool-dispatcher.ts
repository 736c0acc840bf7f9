import { ToolError, UnexpectedToolCall, type SpanHandle, type ToolCallOptions, type ToolDispatcher } from "../core/agent.ts";
import type { ToolRecording } from "../core/dataset.ts";
import { ATTR } from "../core/trace.ts";
import { wrapTools } from "../core/wrap-tools.ts";
import { canonicalJson } from "./canonical-json.ts";
import { argDifferences, describeRecordedCall, nearestRecording } from "./tool-match.ts";
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
  // One queue per recorded call (same tool, arguments and matcher), in YAML order: exact calls are
  // found by key, calls with a matcher by trying them in order.
  const queues = new Map<string, ToolRecording[]>();
  const exact = new Map<string, string>();
  const matched: { key: string; recording: ToolRecording }[] = [];
  for (const rec of recordings) {
    const key = `${callKey(rec.call.tool, rec.call.args)} ${rec.call.match ? canonicalJson(rec.call.match) : ""}`;
    if (!queues.has(key)) {
      if (rec.call.match) matched.push({ key, recording: rec });
      else exact.set(callKey(rec.call.tool, rec.call.args), key);
    }
    queues.set(key, [...(queues.get(key) ?? []), rec]);
  }
  const queueFor = (tool: string, args: Record<string, unknown>): string | undefined =>
    exact.get(callKey(tool, args)) ?? matched.find((m) => m.recording.call.tool === tool && argDifferences(m.recording, args).length === 0)?.key;
  const used = new Map<string, number>();
  let unexpected: UnexpectedToolCall | null = null;

  const invoke = async (tool: string, args: Record<string, unknown>, options?: ToolCallOptions): Promise<{ result: string; span: SpanHandle }> => {
    const key = queueFor(tool, args);
    const attempt = (key === undefined ? 0 : used.get(key) ?? 0) + 1;
    if (key !== undefined) used.set(key, attempt);
    let handle: SpanHandle | null = null;
    const result = await tracer.span(`tool:${tool}`, "tool", { ...options?.attributes, [ATTR.toolName]: tool, [ATTR.toolArgs]: args, [ATTR.toolAttempt]: attempt }, async (span) => {
      handle = span;
      const queue = key === undefined ? undefined : queues.get(key);
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
    return { result, span: handle! };
  };

  const dispatcher: RecordedToolDispatcher = {
    get unexpected() {
      return unexpected;
    },
    wrap(tools) {
      return wrapTools(tools, (name, args) => dispatcher.call(name, args));
    },
    async call(tool, args, options) {
      return (await invoke(tool, args, options)).result;
    },
    invoke,
  };
  return dispatcher;
}

function callKey(tool: string, args: Record<string, unknown>): string {
  return `${tool} ${canonicalJson(args)}`;
}

function describeMiss(tool: string, args: Record<string, unknown>, recordings: readonly ToolRecording[], where: string): string {
  const call = `${tool}(${canonicalJson(args)})`;
  const nearest = nearestRecording(recordings, tool, args);
  const known = [...new Set(recordings.map((r) => r.call.tool))];
  const sameTool = [...new Set(recordings.filter((r) => r.call.tool === tool).map(describeRecordedCall))];
  const said = nearest
    ? `recorded calls of ${tool}: ${sameTool.join(", ")}; the nearest, ${describeRecordedCall(nearest.recording)}, differs in ${nearest.diffs.map((d) => `${d.path}: ${d.what}`).join("; ")}`
    : known.length > 0 ? `no recording of tool "${tool}"; recorded tools: ${known.join(", ")}` : "the example has no tool recordings";
  return `unexpected tool call ${call} at ${where}: ${said}. Add it under the example's \`tools:\` (call + result or error) if the call is right, or match its arguments loosely (call.match: args: subset, regex, ignore).`;
}
