import { ATTR, type Span } from "../core/trace.ts";
import { quoteList } from "./excerpt.ts";
import type { Scorer } from "./types.ts";

const NAME = "trajectory";
/** Beyond this the sequence in a reason is cut short; the details keep all of it. */
const SHOWN_CALLS = 25;

/**
 * Tool dispatches in the order they started. The tracer appends spans as they open, so array
 * order is start order even across parallel workers.
 */
export function toolSequence(spans: readonly Span[]): string[] {
  return spans
    .filter((s) => s.kind === "tool")
    .map((s) => {
      const tool = s.attributes[ATTR.toolName];
      return typeof tool === "string" && tool.length > 0 ? tool : s.name;
    });
}

function showSequence(calls: readonly string[]): string {
  if (calls.length === 0) return "(no tool calls)";
  const shown = calls.slice(0, SHOWN_CALLS).join(" → ");
  return calls.length > SHOWN_CALLS ? `${shown} → … (+${calls.length - SHOWN_CALLS} more)` : shown;
}

/** Where an expected order breaks: the first expected tool that does not follow its predecessor. */
function orderBreak(calls: readonly string[], order: readonly string[]): { index: number; tool: string } | null {
  let pos = 0;
  for (const [index, tool] of order.entries()) {
    const found = calls.indexOf(tool, pos);
    if (found === -1) return { index, tool };
    pos = found + 1;
  }
  return null;
}

/** tools_called, tool_order and tools_not_called, read from the run's tool spans. */
export const trajectory: Scorer = ({ spans, example }) => {
  const called = example.expect.tools_called ?? [];
  const order = example.expect.tool_order ?? [];
  const notCalled = example.expect.tools_not_called ?? [];
  if (called.length + order.length + notCalled.length === 0) return null;

  const calls = toolSequence(spans);
  const callSet = new Set(calls);
  const missing = called.filter((t) => !callSet.has(t));
  const forbidden = notCalled.filter((t) => callSet.has(t));
  const broken = order.length > 0 ? orderBreak(calls, order) : null;

  const problems: string[] = [];
  if (missing.length > 0) problems.push(`Not called: ${quoteList(missing)}`);
  if (broken) {
    const after = broken.index === 0 ? "" : ` after ${JSON.stringify(order[broken.index - 1])}`;
    const why = callSet.has(broken.tool) ? `${JSON.stringify(broken.tool)} was not called${after}` : `${JSON.stringify(broken.tool)} was never called`;
    problems.push(`Order ${order.join(" → ")} broken: ${why}`);
  }
  if (forbidden.length > 0) problems.push(`Called but forbidden: ${quoteList(forbidden)}`);

  const checks = called.length + notCalled.length + (order.length > 0 ? 1 : 0);
  const failed = missing.length + forbidden.length + (broken ? 1 : 0);
  const actual = `actual: ${showSequence(calls)}`;
  return {
    name: NAME,
    pass: failed === 0,
    score: (checks - failed) / checks,
    reason: failed === 0 ? `trajectory as expected (${actual})` : `${problems.join("; ")} (${actual})`,
    details: { calls, missing, forbidden, order_broken_at: broken?.index ?? null },
  };
};
