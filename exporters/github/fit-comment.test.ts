import { describe, expect, it } from "vitest";
import { DEFAULT_CUT_NOTE, GITHUB_COMMENT_LIMIT, fitComment, type CommentSection } from "./fit-comment.ts";

const keep = (text: string): CommentSection => ({ text, cuttable: false });
const cut = (text: string): CommentSection => ({ text, cuttable: true });
const CUT_LINE = `… (cut: ${DEFAULT_CUT_NOTE})`;

/** `count` numbered lines of about 80 characters, so a cut can be checked to end on a whole line. */
function lines(label: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${label} line ${String(i).padStart(7, "0")} ${"x".repeat(60)}`).join("\n");
}

/** Splits the fitted comment back into its sections by their known first lines. */
function sectionStarting(result: string, start: string, next?: string): string {
  const from = result.indexOf(start);
  const to = next === undefined ? result.length : result.indexOf(next, from + 1) - 2;
  if (from < 0 || to < from) throw new Error(`no section starting ${JSON.stringify(start)}`);
  return result.slice(from, to);
}

/** Independent of fit-comment's own scanner: the inputs here put fences and tags on lines of their own. */
function balanced(markdown: string): boolean {
  let inFence = false;
  let details = 0;
  for (const line of markdown.split("\n")) {
    if (/^```/.test(line)) inFence = !inFence;
    else if (!inFence && line.startsWith("<details>")) details++;
    else if (!inFence && line === "</details>") details--;
  }
  return !inFence && details === 0;
}

describe("fitComment", () => {
  it("joins the sections with a blank line and leaves them alone when they fit", () => {
    expect(fitComment([keep("## verdict"), cut("| a | b |\n| - | - |"), keep("footer")])).toBe("## verdict\n\n| a | b |\n| - | - |\n\nfooter");
  });

  it("cuts only the longest cuttable section when that is enough, keeping its beginning and ending with the note", () => {
    const long = lines("long", 1_000); // ~80 KB
    const medium = lines("medium", 60);
    const small = lines("small", 20);
    const result = fitComment([keep("## verdict: 3 regressions"), cut(medium), cut(long), cut(small), keep("footer")]);

    expect(result.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    // Not over-cut: only the snap back to a line end is lost.
    expect(result.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 100);
    expect(result).toContain(medium);
    expect(result).toContain(small);
    expect(result.startsWith("## verdict: 3 regressions\n\n")).toBe(true);
    expect(result.endsWith("\n\nfooter")).toBe(true);
    const cutLong = sectionStarting(result, "long line 0000000", "small line 0000000");
    expect(cutLong.endsWith(`\n\n${CUT_LINE}`)).toBe(true);
    const kept = cutLong.slice(0, -(CUT_LINE.length + 2));
    expect(long.startsWith(kept)).toBe(true);
    // It ends on a whole line.
    expect(long[kept.length]).toBe("\n");
  });

  it("cuts two long sections down to about the same length rather than one to nothing", () => {
    const a = lines("a", 2_500); // ~200 KB
    const b = lines("b", 1_800); // ~145 KB
    const result = fitComment([keep("head"), cut(a), cut(b)]);
    const cutA = sectionStarting(result, "a line 0000000", "b line 0000000");
    const cutB = sectionStarting(result, "b line 0000000");
    expect(result.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(Math.abs(cutA.length - cutB.length)).toBeLessThan(200);
    expect(cutA.length).toBeGreaterThan(30_000);
  });

  it("never cuts a non-cuttable section, even one too big to fit alone", () => {
    const verdict = lines("verdict", 900); // ~72 KB on its own
    const diff = lines("diff", 200);
    const result = fitComment([keep(verdict), cut(diff)]);
    expect(result).toBe(`${verdict}\n\n${CUT_LINE}`);

    const table = lines("table", 700); // ~56 KB
    const fitted = fitComment([keep(table), cut(diff)], { limit: 60_000 });
    expect(fitted.startsWith(`${table}\n\n`)).toBe(true);
    expect(fitted.length).toBeLessThanOrEqual(60_000);
    expect(fitted).toContain("diff line 0000000");
  });

  it("closes the code fence and the <details> a cut leaves open", () => {
    const diff = `<details>\n<summary>admin_chat@v1 count-companies</summary>\n\n\`\`\`diff\n${lines("+ answer", 2_000)}\n\`\`\`\n\n</details>`;
    const result = fitComment([keep("## verdict"), cut(diff), keep("after the diff")], { limit: 20_000 });
    const section = sectionStarting(result, "<details>", "after the diff");

    expect(result.length).toBeLessThanOrEqual(20_000);
    expect(section).toMatch(/\+ answer line \d{7} x+\n```\n\n<\/details>\n\n… \(cut: [^\n]+\)$/);
    expect(balanced(section)).toBe(true);
    expect(result.endsWith("\n\nafter the diff")).toBe(true);
  });

  it("closes a longer or tilde fence with the same run, and nested <details> each once", () => {
    const nested = `<details>\n<summary>run</summary>\n\n<details>\n<summary>step</summary>\n\n  ~~~~json\n${lines("{}", 1_000)}\n  ~~~~\n</details>\n</details>`;
    const section = fitComment([cut(nested)], { limit: 5_000 });
    expect(section).toMatch(/\n {2}~~~~\n\n<\/details>\n<\/details>\n\n… \(cut: /);

    const quadruple = `\`\`\`\`markdown\n\`\`\`\ninner fence\n\`\`\`\n${lines("text", 1_000)}\n\`\`\`\``;
    expect(fitComment([cut(quadruple)], { limit: 5_000 })).toMatch(/x+\n````\n\n… \(cut: /);
  });

  it("does not close what is only text: a <details> inside a closed fence or inline code", () => {
    const text = `\`\`\`html\n<details>\n\`\`\`\nuse \`<details>\` to fold\n${lines("plain", 1_000)}`;
    const result = fitComment([cut(text)], { limit: 5_000 });
    expect(result).not.toContain("</details>");
    expect(result).toMatch(/plain line \d{7} x+\n\n… \(cut: /);
  });

  it("says where the rest is with options.note", () => {
    const result = fitComment([cut(lines("x", 2_000))], { limit: 3_000, note: "see the `evalgate-compare` artifact" });
    expect(result.endsWith("\n\n… (cut: see the `evalgate-compare` artifact)")).toBe(true);
    expect(result.length).toBeLessThanOrEqual(3_000);
  });

  it("fits 10 MB of sections under the limit quickly, each keeping its own beginning", () => {
    const sections = Array.from({ length: 40 }, (_, i) => cut(lines(`s${i}`, 3_200))); // 40 × ~256 KB
    const started = performance.now();
    const result = fitComment([keep("## verdict"), ...sections, keep("footer")]);
    expect(performance.now() - started).toBeLessThan(5_000);

    expect(result.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(result.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 40 * 100);
    for (let i = 0; i < 40; i++) expect(result).toContain(`s${i} line 0000000 `);
    expect(result.split(CUT_LINE)).toHaveLength(41);
    expect(result.endsWith("\n\nfooter")).toBe(true);
  });

  it("cuts one huge line at a code point, never between the halves of a surrogate pair", () => {
    const emoji = `answer: ${"😀".repeat(200_000)}`;
    for (const limit of [1_000, 1_001, 1_002, 1_003]) {
      const result = fitComment([cut(emoji)], { limit });
      expect(result.length).toBeLessThanOrEqual(limit);
      expect(result).toMatch(/^answer: (😀)+\n\n… \(cut: /u);
    }
  });

  it("drops a half-written tag at a mid-line cut", () => {
    const html = `<p>${"<b>bold</b> ".repeat(20_000)}</p>`;
    // Every offset within one "<b>bold</b> " repeat, so some limits land inside each tag.
    for (let limit = 500; limit < 512; limit++) {
      const kept = fitComment([cut(html)], { limit }).split("\n\n")[0]!;
      expect(kept).not.toMatch(/<[^>]*$/);
      expect(kept.length).toBeGreaterThan(limit - 100);
    }
  });

  it("handles many sections and tiny limits without overflowing", () => {
    const many = Array.from({ length: 300_000 }, (_, i) => cut(`row ${i}`));
    expect(() => fitComment(many, { limit: 100 })).not.toThrow();
    expect(fitComment([cut("a".repeat(1_000))], { limit: 10 })).toBe(CUT_LINE);
  });
});
