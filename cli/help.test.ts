import { describe, expect, it } from "vitest";
import { helpText } from "./help.ts";

/** The column each description line of a "  <command> <args>   description" table starts at. */
function descriptionColumns(section: string, command: string): Set<number> {
  const columns = new Set<number>();
  for (const line of section.split("\n")) {
    if (line.startsWith(`  ${command}`)) {
      // A row with its description on the same line: the description follows the first gap of 2+ spaces.
      const gap = /^ {2}\S.*?\S( {2,})(?=\S)/.exec(line);
      if (gap) columns.add(gap[0].length);
    } else {
      columns.add(line.length - line.trimStart().length);
    }
  }
  return columns;
}

describe("helpText", () => {
  it("puts every Usage and Examples description in one column, whatever the command is called", () => {
    for (const command of ["pnpm eval", "npx evalgate", "npm run eval --", "node cli/bin.ts"]) {
      const text = helpText(command);
      const usage = text.slice(text.indexOf("Usage\n") + "Usage\n".length, text.indexOf("\n\nSelect"));
      const examples = text.slice(text.indexOf("Examples\n") + "Examples\n".length).trimEnd();
      expect([...descriptionColumns(usage, command)], `Usage, ${command}`).toHaveLength(1);
      expect([...descriptionColumns(examples, command)], `Examples, ${command}`).toHaveLength(1);
    }
  });

  it("gives examples in placeholders, not this repository's graph and example names", () => {
    const text = helpText("npx evalgate");
    expect(text.slice(text.indexOf("Examples\n"))).toContain("--graph <graph>");
    expect(text).not.toMatch(/admin_chat|late-delivery/);
  });
});
