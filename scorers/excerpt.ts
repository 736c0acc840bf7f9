/**
 * A short one-line view of the original text around a match, for reasons like
 * `Forbidden "guaranteed" at 112: "…results are guaranteed to…"`.
 */
export function excerpt(text: string, offset: number, length: number, context = 16): string {
  let from = Math.max(0, offset - context);
  let to = Math.min(text.length, offset + length + context);
  // Widen to whole words so the excerpt does not start or end mid-word (within reason).
  while (from > 0 && from > offset - context * 2 && !/\s/.test(text[from - 1]!)) from--;
  while (to < text.length && to < offset + length + context * 2 && !/\s/.test(text[to]!)) to++;
  const body = text.slice(from, to).replace(/\s+/g, " ").trim();
  return `${from > 0 ? "…" : ""}${body}${to < text.length ? "…" : ""}`;
}

/** Phrases as a reviewer would type them back: ["2607", "companies"]. */
export function quoteList(items: readonly string[]): string {
  return `[${items.map((s) => JSON.stringify(s)).join(", ")}]`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
