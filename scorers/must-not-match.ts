import { excerpt, plural } from "./excerpt.ts";
import { compileRegex, firstMatch } from "./regex-spec.ts";
import { noOutput, type Scorer } from "./types.ts";

const NAME = "must_not_match";

/** No pattern may match the answer; the reason shows where the first offending match is. */
export const mustNotMatch: Scorer = ({ output, example }) => {
  const specs = example.expect.must_not_match;
  if (specs.length === 0) return null;
  if (output === null) return noOutput(NAME);

  const problems: string[] = [];
  const matched: { pattern: string; offset: number; excerpt: string }[] = [];
  let held = 0;
  for (const compiled of specs.map(compileRegex)) {
    if (!compiled.ok) {
      problems.push(`Invalid regex ${compiled.label}: ${compiled.error}`);
      continue;
    }
    const hit = firstMatch(compiled.regex, output.answer);
    if (hit === null) {
      held++;
      continue;
    }
    const shown = excerpt(output.answer, hit.index, hit.length);
    matched.push({ pattern: compiled.label, offset: hit.index, excerpt: shown });
    problems.push(`Forbidden pattern ${compiled.label} matched at ${hit.index}: ${JSON.stringify(shown)}`);
  }
  return {
    name: NAME,
    pass: problems.length === 0,
    score: held / specs.length,
    reason: problems.length === 0 ? `none of ${plural(specs.length, "forbidden pattern")} matched` : problems.join("; "),
    details: { matched },
  };
};
