import { noOutput, type Scorer } from "./types.ts";

const NAME = "data";

/**
 * Structured output: `expect.data` must be contained in the agent's `output.data`. Objects match
 * when every expected key matches; arrays when every expected element matches some actual element
 * (order-free, so a fan-out's order does not matter), and `[]` only an empty list; strings,
 * numbers and booleans by equality.
 * This is how a StageReport's errors[] or a report's citations reach the gate, not just the answer text.
 */
export const data: Scorer = ({ output, example }) => {
  const expected = example.expect.data;
  if (expected === undefined || Object.keys(expected).length === 0) return null;
  if (!output) return noOutput(NAME);
  const mismatches: string[] = [];
  const checks = Object.keys(expected).length;
  for (const [key, value] of Object.entries(expected)) {
    mismatch(`data.${key}`, value, output.data?.[key], mismatches);
  }
  const failedKeys = new Set(mismatches.map((m) => m.split(/[.[:]/)[1])).size;
  return {
    name: NAME,
    pass: mismatches.length === 0,
    score: (checks - failedKeys) / checks,
    reason: mismatches.length === 0 ? `output.data contains all ${checks} expected field(s)` : mismatches.slice(0, 3).join("; ") + (mismatches.length > 3 ? `; and ${mismatches.length - 3} more` : ""),
    ...(mismatches.length ? { details: { mismatches } } : {}),
  };
};

function mismatch(path: string, expected: unknown, actual: unknown, out: string[]): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push(`${path}: expected a list, got ${show(actual)}`);
      return;
    }
    // An empty expected list would be a vacuous subset; it means "must be empty" (no errors, no citations).
    if (expected.length === 0 && actual.length > 0) out.push(`${path}: expected an empty list, got ${show(actual)}`);
    for (const item of expected) {
      if (!actual.some((candidate) => contains(item, candidate))) out.push(`${path}: no element matches ${show(item)}; got ${show(actual)}`);
    }
    return;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      out.push(`${path}: expected an object, got ${show(actual)}`);
      return;
    }
    for (const [key, value] of Object.entries(expected)) mismatch(`${path}.${key}`, value, (actual as Record<string, unknown>)[key], out);
    return;
  }
  if (expected !== actual) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
}

function contains(expected: unknown, actual: unknown): boolean {
  const found: string[] = [];
  mismatch("", expected, actual, found);
  return found.length === 0;
}

function show(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
