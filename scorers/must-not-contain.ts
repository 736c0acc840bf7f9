import { excerpt, plural } from "./excerpt.ts";
import { findPhrase, matchOptions, normalizeText } from "./normalize.ts";
import { noOutput, type Scorer } from "./types.ts";

const NAME = "must_not_contain";

interface Forbidden {
  phrase: string;
  /** Offset of the first occurrence in the original answer (JavaScript string index). */
  offset: number;
  occurrences: number;
  excerpt: string;
}

/** No forbidden phrase may appear; the reason points at where the first one sits in the answer. */
export const mustNotContain: Scorer = ({ output, example }) => {
  const phrases = example.expect.must_not_contain;
  if (phrases.length === 0) return null;
  if (output === null) return noOutput(NAME);

  const options = matchOptions(example.expect.match);
  const answer = normalizeText(output.answer, options);
  const found: Forbidden[] = [];
  for (const phrase of phrases) {
    const hits = findPhrase(answer, phrase, options);
    const first = hits[0];
    if (first) {
      found.push({ phrase, offset: first.offset, occurrences: hits.length, excerpt: excerpt(output.answer, first.offset, first.length) });
    }
  }
  const reason = found.length === 0
    ? `none of ${plural(phrases.length, "forbidden phrase")} present`
    : found.map((f) => `Forbidden ${JSON.stringify(f.phrase)} at ${f.offset}: ${JSON.stringify(f.excerpt)}${f.occurrences > 1 ? ` (${f.occurrences} times)` : ""}`).join("; ");
  return {
    name: NAME,
    pass: found.length === 0,
    score: (phrases.length - found.length) / phrases.length,
    reason,
    details: { found, match: options },
  };
};
