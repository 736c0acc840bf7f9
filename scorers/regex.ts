import { compileRegex, firstMatch } from "./regex-spec.ts";
import { plural } from "./excerpt.ts";
import { noOutput, type Scorer } from "./types.ts";

const NAME = "regex";

/** Every pattern must match the answer as written (no normalisation: the pattern's flags decide). */
export const regex: Scorer = ({ output, example }) => {
  const specs = example.expect.regex;
  if (specs.length === 0) return null;
  if (output === null) return noOutput(NAME);

  const problems: string[] = [];
  const unmatched: string[] = [];
  let held = 0;
  for (const compiled of specs.map(compileRegex)) {
    if (!compiled.ok) problems.push(`Invalid regex ${compiled.label}: ${compiled.error}`);
    else if (firstMatch(compiled.regex, output.answer) === null) unmatched.push(compiled.label);
    else held++;
  }
  if (unmatched.length > 0) problems.unshift(`No match: [${unmatched.join(", ")}]`);
  return {
    name: NAME,
    pass: problems.length === 0,
    score: held / specs.length,
    reason: problems.length === 0 ? `all ${plural(specs.length, "pattern")} matched` : problems.join("; "),
    details: { unmatched },
  };
};
