import { extractBalancedJson, stripReasoning } from "../shared/json-router.ts";

/**
 * Reads the one JSON object a planning step (decompose, plan) asked the model for, tolerating
 * what models wrap around it: a <think> block, ```json fences, a sentence of chatter.
 * Returns the parsed value or a sentence saying what was wrong, for the caller's error.
 */
export function readModelJson(raw: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const body = stripReasoning(raw).replace(/```(?:json)?/gi, "");
  const json = extractBalancedJson(body);
  if (json === null) return { ok: false, problem: "no JSON object in the reply" };
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch (error) {
    return { ok: false, problem: `invalid JSON (${(error as Error).message})` };
  }
}

/** The reply as it appears in an error message: short enough to read in a console line. */
export function quoteReply(raw: string): string {
  return JSON.stringify(raw.length > 300 ? `${raw.slice(0, 300)}…` : raw);
}
