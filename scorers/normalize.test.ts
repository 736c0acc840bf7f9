import { describe, expect, it } from "vitest";
import { DEFAULT_MATCH, findPhrase, matchOptions, normalizeText, type NormalizedText } from "./normalize.ts";

describe("normalizeText", () => {
  it("defaults to case-insensitive NFKC", () => {
    expect(DEFAULT_MATCH).toEqual({ case_sensitive: false, normalize: "nfkc" });
    expect(matchOptions(undefined)).toEqual(DEFAULT_MATCH);
    expect(matchOptions({ case_sensitive: true })).toEqual({ case_sensitive: true, normalize: "nfkc" });
  });

  it("nfkc folds curly quotes, dashes, ellipsis, ligatures and NBSP, and collapses whitespace", () => {
    const text = "\u00A0 \u201CIt\u2019s\u201D \u2014 the\u00A0\uFB01rst\u2026\n\n  Done ";
    expect(normalizeText(text).text).toBe('"it\'s" - the first... done');
  });

  it("whitespace mode collapses runs (NBSP included) and trims, leaving characters alone", () => {
    const text = "  A\u00A0\u00A0\u2019b\t\nC  ";
    expect(normalizeText(text, { case_sensitive: true, normalize: "whitespace" }).text).toBe("A \u2019b C");
  });

  it("none keeps the text as written, apart from case folding when asked", () => {
    const text = " A\u00A0 B ";
    expect(normalizeText(text, { case_sensitive: true, normalize: "none" }).text).toBe(text);
    expect(normalizeText(text, { case_sensitive: false, normalize: "none" }).text).toBe(" a\u00A0 b ");
  });

  it("maps every normalised character back to the original range that produced it", () => {
    const text = "x\u2026  \uFB01";
    const n = normalizeText(text);
    expect(n.text).toBe("x... fi");
    expect(origins(n)).toEqual([[0, 1], [1, 2], [1, 2], [1, 2], [2, 3], [4, 5], [4, 5]]);
  });

  it("keeps a base letter and its combining mark together so NFKC composition maps back", () => {
    const text = "cafe\u0301 ok";
    const n = normalizeText(text);
    expect(n.text).toBe("caf\u00E9 ok");
    const [hit] = findPhrase(n, "café");
    expect(hit).toEqual({ offset: 0, length: 5 });
  });
});

describe("findPhrase", () => {
  it("reports offsets and lengths in the original text, not the normalised one", () => {
    const text = "Well\u2026   we\u2019re   sure";
    const [hit] = findPhrase(normalizeText(text), "We're sure");
    expect(hit).toBeDefined();
    expect(hit!.offset).toBe(text.indexOf("we\u2019re"));
    expect(text.slice(hit!.offset, hit!.offset + hit!.length)).toBe("we\u2019re   sure");
  });

  it("finds every non-overlapping occurrence", () => {
    const hits = findPhrase(normalizeText("Ab ab AB"), "ab");
    expect(hits.map((h) => h.offset)).toEqual([0, 3, 6]);
  });

  it("respects case_sensitive", () => {
    const options = { case_sensitive: true, normalize: "nfkc" } as const;
    expect(findPhrase(normalizeText("Companies", options), "companies", options)).toEqual([]);
  });
});

describe("the ASCII fast path", () => {
  it("gives what the general (grapheme, NFKC) loop gives on 500 random ASCII texts", () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const alphabet = "aB z\t\n\r\v\f.,;:'\"-_#@!?()0129XYZ  ";
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: Math.floor(random() * 60) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      for (const options of [DEFAULT_MATCH, { ...DEFAULT_MATCH, case_sensitive: true }, { ...DEFAULT_MATCH, normalize: "none" as const }]) {
        const fast = normalizeText(text, options);
        // One non-ASCII character at the end sends the same text down the general loop.
        const general = normalizeText(`${text}é`, options);
        expect(general.text.slice(0, fast.text.length), JSON.stringify(text)).toBe(fast.text);
        expect(origins(general).slice(0, fast.text.length)).toEqual(origins(fast));
      }
    }
  });
});

/** Each character of the normalised text with the [start, end) range of the original it came from. */
function origins(n: NormalizedText): [number, number][] {
  expect([n.start.length, n.end.length]).toEqual([n.text.length, n.text.length]);
  return Array.from({ length: n.text.length }, (_, i) => [n.start[i]!, n.end[i]!]);
}
