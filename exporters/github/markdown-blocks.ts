/**
 * What a Markdown prefix leaves open, so a cut comment does not swallow what follows it: an
 * unclosed ``` fence turns the rest of the comment into code, and an unclosed <details> folds it
 * away. Only these two are tracked: they are what evalgate's comparison emits, and the ones whose
 * damage spreads past the cut (a half table or list ends at the blank line that follows it).
 */

interface Fence {
  indent: string;
  char: "`" | "~";
  length: number;
}

/** The lines that close, innermost first, whatever `markdown` leaves open (none when it is balanced). */
export function closeOpenBlocks(markdown: string): string[] {
  let fence: Fence | undefined;
  let details = 0;
  for (const raw of markdown.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (fence !== undefined) {
      if (closesFence(line, fence)) fence = undefined;
      // Inside a fence a <details> is text, not HTML.
      continue;
    }
    const opened = openingFence(line);
    if (opened !== undefined) {
      fence = opened;
      continue;
    }
    details = countDetails(line, details);
  }
  const closers: string[] = [];
  if (fence !== undefined) closers.push(fence.indent + fence.char.repeat(fence.length));
  // A blank line first: GitHub only reads </details> as HTML when it starts its own block.
  if (details > 0) closers.push("", ...Array.from({ length: details }, () => "</details>"));
  return closers;
}

/** CommonMark: up to three spaces, then three or more backticks (no backtick in the info string) or tildes. */
function openingFence(line: string): Fence | undefined {
  const match = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return undefined;
  const [, indent = "", run = "", info = ""] = match;
  const char = run[0] === "`" ? "`" : "~";
  if (char === "`" && info.includes("`")) return undefined;
  return { indent, char, length: run.length };
}

/** A closing fence is the same character, at least as long, with nothing after it but spaces. */
function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return match !== null && match[1]![0] === fence.char && match[1]!.length >= fence.length;
}

function countDetails(line: string, depth: number): number {
  // A <details> quoted in inline code or inside an HTML comment opens nothing.
  const html = line.replace(/<!--.*?-->/g, "").replace(/(`+).*?\1/g, "");
  for (const tag of html.matchAll(/<(\/?)details(?=[\s>/]|$)/gi)) {
    depth = tag[1] === "/" ? Math.max(0, depth - 1) : depth + 1;
  }
  return depth;
}
