import { closeOpenBlocks } from "./markdown-blocks.ts";

/**
 * Fits a comment into GitHub's body limit by cutting its long, expendable parts (per-example
 * diffs, full outputs) and never its verdict or its table. GitHub refuses an over-long body
 * outright (422), so a comparison that is too long would otherwise not be posted at all.
 */

export interface CommentSection {
  text: string;
  /** False for what a reviewer must always see (the verdict, the summary table). */
  cuttable: boolean;
}

export interface FitOptions {
  /** In UTF-16 code units (String#length), which is never fewer than the characters GitHub counts. */
  limit?: number;
  /** What the reader is told about where the rest is: the line is "… (cut: <note>)". */
  note?: string;
}

/** GitHub's maximum issue and pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export const DEFAULT_CUT_NOTE = "the full comparison is in compare.md / the job's artifact";

/** A blank line between sections, so a table or list never runs on into the next section. */
const SEPARATOR = "\n\n";

/**
 * Joins the sections; past the limit, cuts the longest cuttable sections down to a common
 * length (so two long diffs both keep their beginnings rather than one vanishing). If the
 * non-cuttable sections alone are over the limit, every cuttable section is cut to its note and
 * the result is still over: dropping a verdict to fit would be worse than GitHub refusing it.
 */
export function fitComment(sections: ReadonlyArray<CommentSection>, options: FitOptions = {}): string {
  const limit = Math.max(0, Math.floor(options.limit ?? GITHUB_COMMENT_LIMIT));
  const tail = `… (cut: ${options.note ?? DEFAULT_CUT_NOTE})`;
  const whole = sections.map((s) => s.text).join(SEPARATOR);
  if (whole.length <= limit) return whole;

  const fixed = SEPARATOR.length * Math.max(0, sections.length - 1) + sections.reduce((n, s) => n + (s.cuttable ? 0 : s.text.length), 0);
  const cuttable = sections.filter((s) => s.cuttable).map((s) => s.text.length);
  const level = highestLevel(cuttable, limit - fixed, tail.length);
  return sections.map((s) => (s.cuttable && s.text.length > level ? cutSection(s.text, level, tail) : s.text)).join(SEPARATOR);
}

/**
 * The largest length L such that cutting every cuttable section longer than L down to L (but
 * never below the note itself) fits the budget; 0 when nothing fits. Binary search over lengths
 * only, so a megabyte of text costs no more than a kilobyte here.
 */
function highestLevel(lengths: number[], budget: number, minimum: number): number {
  const total = (level: number) => lengths.reduce((n, len) => n + (len <= level ? len : Math.max(level, minimum)), 0);
  let lo = 0;
  // reduce, not Math.max(...lengths): a spread of a few hundred thousand sections overflows the stack.
  let hi = lengths.reduce((a, b) => Math.max(a, b), 0);
  if (total(lo) > budget) return 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (total(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The section's beginning, its open fences and <details> closed, then the note: at most `budget` long unless only the note fits. */
function cutSection(text: string, budget: number, tail: string): string {
  let end = budget - tail.length - SEPARATOR.length;
  while (end > 0) {
    const prefix = text.slice(0, cutPoint(text, end));
    if (prefix.trim() === "") return tail;
    const out = [prefix, ...closeOpenBlocks(prefix)].join("\n") + SEPARATOR + tail;
    if (out.length <= budget) return out;
    // Closers and the snap to a line end only ever shrink the prefix, so this terminates.
    end -= out.length - budget;
  }
  return tail;
}

/**
 * Where to end a prefix of at most `end` units: after the last whole line, so no half line (or
 * half tag) is left, unless that would throw away more than half of what fits (one huge line);
 * then inside the line, at a code point boundary and before any half-written tag.
 */
function cutPoint(text: string, end: number): number {
  const newline = text.lastIndexOf("\n", end);
  if (newline > 0 && newline >= end / 2) return newline;
  let at = end;
  const code = text.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff) at -= 1;
  const open = text.lastIndexOf("<", at - 1);
  if (open >= 0 && open > text.lastIndexOf(">", at - 1)) at = open;
  return at;
}
