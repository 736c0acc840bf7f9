import { ToolError, type ToolDispatcher } from "evalgate";
import { JsonReplyError } from "../shared/json-reply.ts";
import { ToolResultError } from "../shared/tool-result.ts";

/** Rate limits and timeouts are worth one more try; a 404 or a schema error is not. */
const TRANSIENT = /rate.?limit|\b429\b|timed? ?out|timeout|\b503\b|temporar/i;
export const MAX_TOOL_ATTEMPTS = 2;

export interface RetryCounter {
  retries: number;
}

/** Dispatches a tool, retrying once on a transient ToolError; the counter feeds the span's `retries`. */
export async function callTool(tools: ToolDispatcher, tool: string, args: Record<string, unknown>, counter?: RetryCounter): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tools.call(tool, args);
    } catch (error) {
      if (!(error instanceof ToolError) || attempt >= MAX_TOOL_ATTEMPTS || !TRANSIENT.test(error.message)) throw error;
      if (counter) counter.retries++;
    }
  }
}

/**
 * The message of a soft failure (a recorded tool error, an unusable tool result or model reply),
 * or null when the error must propagate (an unrecorded tool call, a replay miss, an abort: those
 * mean the run cannot be judged, not that a worker failed).
 */
export function softFailure(error: unknown): string | null {
  if (error instanceof ToolError) return `${error.tool} failed: ${error.message}`;
  if (error instanceof JsonReplyError || error instanceof ToolResultError) return error.message;
  return null;
}

/**
 * Runs one step of a phase. A soft failure becomes the line "<label>: <message>" in `errors` and
 * the step yields undefined, so the phase carries on; anything else propagates.
 */
export async function softly<T>(errors: string[], label: string, step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    const message = softFailure(error);
    if (message === null) throw error;
    errors.push(`${label}: ${message}`);
    return undefined;
  }
}
