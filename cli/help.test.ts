import { describe, expect, it } from "vitest";
import { helpText } from "./help.ts";

describe("helpText", () => {
  it("puts every Usage description in one column, whatever the command is called", () => {
    for (const command of ["pnpm eval", "npx evalgate", "npm run eval --", "node cli/bin.ts"]) {
      const text = helpText(command);
      const section = text.slice(text.indexOf("Usage\n") + "Usage\n".length, text.indexOf("\n\nSelect"));
      const columns = new Set<number>();
      for (const line of section.split("\n")) {
        if (line.startsWith(`  ${command} `)) {
          // A usage with its description on the same line: the description follows a gap of 2+ spaces.
          const gap = /\S {2,}(?=\S)/.exec(line.slice(2 + command.length));
          if (gap) columns.add(2 + command.length + gap.index + gap[0].length);
        } else {
          columns.add(line.length - line.trimStart().length);
        }
      }
      expect([...columns], command).toHaveLength(1);
    }
  });
});
