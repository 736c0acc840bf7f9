import { quoteList } from "./excerpt.ts";
import type { Scorer } from "./types.ts";

const NAME = "spans";

/** Span contract: every named span must have been emitted (a silently dropped span fails). */
export const spans: Scorer = ({ spans: emitted, example }) => {
  const expected = example.expect.spans ?? [];
  if (expected.length === 0) return null;

  const names = [...new Set(emitted.map((s) => s.name))];
  const have = new Set(names);
  const missing = expected.filter((n) => !have.has(n));
  return {
    name: NAME,
    pass: missing.length === 0,
    score: (expected.length - missing.length) / expected.length,
    reason: missing.length === 0
      ? `all ${expected.length} expected spans emitted`
      : `Missing spans: ${quoteList(missing)}; emitted: ${names.length === 0 ? "(none)" : quoteList(names)}`,
    details: { missing, emitted: names },
  };
};
