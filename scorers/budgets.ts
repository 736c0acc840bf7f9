import { ATTR, type Span } from "../core/trace.ts";
import type { Scorer } from "./types.ts";

const NAME = "budgets";

function numberAttr(span: Span, key: string): number | null {
  const v = span.attributes[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function modelOf(span: Span): string {
  const m = span.attributes[ATTR.responseModel] ?? span.attributes[ATTR.model];
  return typeof m === "string" && m.length > 0 ? m : "(unknown model)";
}

/** Tokens of one LLM call: the total when recorded, else input + output. */
function tokensOf(span: Span): number | null {
  const total = numberAttr(span, ATTR.totalTokens);
  if (total !== null) return total;
  const input = numberAttr(span, ATTR.inputTokens);
  const output = numberAttr(span, ATTR.outputTokens);
  return input !== null && output !== null ? input + output : null;
}

function usd(n: number): string {
  return `$${Number(n.toPrecision(4))}`;
}

/** max_steps, max_tokens and max_cost_usd, summed over the run's LLM spans. */
export const budgets: Scorer = ({ spans, example }) => {
  const { max_steps, max_tokens, max_cost_usd } = example.expect;
  if (max_steps === undefined && max_tokens === undefined && max_cost_usd === undefined) return null;

  const llm = spans.filter((s) => s.kind === "llm");
  const parts: string[] = [];
  const details: Record<string, unknown> = { llm_calls: llm.length };
  let checks = 0;
  let failed = 0;
  const check = (ok: boolean, text: string) => {
    checks++;
    if (!ok) failed++;
    parts.push(text);
  };

  if (max_steps !== undefined) {
    const steps = llm.length;
    check(steps <= max_steps, steps <= max_steps ? `steps ${steps} ≤ ${max_steps}` : `steps ${steps} > max_steps ${max_steps}`);
    details.steps = steps;
  }

  if (max_tokens !== undefined) {
    const perCall = llm.map(tokensOf);
    const unknown = perCall.filter((t) => t === null).length;
    const tokens = perCall.reduce<number>((sum, t) => sum + (t ?? 0), 0);
    details.tokens = tokens;
    if (unknown > 0) check(false, `tokens unknown: ${unknown} of ${llm.length} LLM calls carry no usage (${tokens} counted, limit ${max_tokens})`);
    else check(tokens <= max_tokens, tokens <= max_tokens ? `tokens ${tokens} ≤ ${max_tokens}` : `tokens ${tokens} > max_tokens ${max_tokens}`);
  }

  if (max_cost_usd !== undefined) {
    const unpriced = [...new Set(llm.filter((s) => numberAttr(s, ATTR.costUsd) === null).map(modelOf))];
    const cost = llm.reduce((sum, s) => sum + (numberAttr(s, ATTR.costUsd) ?? 0), 0);
    details.cost_usd = unpriced.length > 0 ? null : cost;
    if (unpriced.length > 0) {
      const names = unpriced.map((m) => JSON.stringify(m)).join(", ");
      check(false, `cost unknown: model ${names} has no price; add one under \`pricing\` in eval.config.ts (limit ${usd(max_cost_usd)})`);
    } else {
      check(cost <= max_cost_usd, cost <= max_cost_usd ? `cost ${usd(cost)} ≤ ${usd(max_cost_usd)}` : `cost ${usd(cost)} > max_cost_usd ${usd(max_cost_usd)}`);
    }
  }

  return { name: NAME, pass: failed === 0, score: (checks - failed) / checks, reason: parts.join("; "), details };
};
