import { quoteList, plural } from "./excerpt.ts";
import { findPhrase, matchOptions, normalizeText } from "./normalize.ts";
import { noOutput, type Scorer } from "./types.ts";

const NAME = "must_contain";

/** Every expected phrase must appear in the answer (after the example's match normalisation). */
export const mustContain: Scorer = ({ output, example }) => {
  const phrases = example.expect.must_contain;
  if (phrases.length === 0) return null;
  if (output === null) return noOutput(NAME, { missing: phrases });

  const options = matchOptions(example.expect.match);
  const answer = normalizeText(output.answer, options);
  const missing = phrases.filter((p) => findPhrase(answer, p, options).length === 0);
  const present = phrases.length - missing.length;
  return {
    name: NAME,
    pass: missing.length === 0,
    score: present / phrases.length,
    reason: missing.length === 0 ? `all ${plural(phrases.length, "phrase")} present` : `Missing: ${quoteList(missing)}`,
    details: { missing, match: options },
  };
};
