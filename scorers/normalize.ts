import type { MatchOptions } from "../core/dataset.ts";

/**
 * Text normalisation for phrase matching, with a map back to the original text so that a
 * reviewer is shown offsets and excerpts of what the agent actually wrote.
 */

export const DEFAULT_MATCH: MatchOptions = { case_sensitive: false, normalize: "nfkc" };

export interface NormalizedText {
  readonly text: string;
  /**
   * For each UTF-16 unit of `text`: the [start, end) range in the original that produced it, as
   * two lists of numbers (a pair each cost an allocation per character of every answer scored).
   */
  readonly start: ArrayLike<number>;
  readonly end: ArrayLike<number>;
}

/**
 * Typographic characters that NFKC leaves alone but that writers and models use
 * interchangeably with ASCII: an answer with “smart quotes” must match a phrase typed with "".
 */
const TYPOGRAPHIC_TO_ASCII: Readonly<Record<string, string>> = {
  "\u2018": "'", "\u2019": "'", "\u201A": "'", "\u201B": "'", "\u2032": "'", "\u02BC": "'",
  "\u201C": '"', "\u201D": '"', "\u201E": '"', "\u201F": '"', "\u2033": '"', "\u00AB": '"', "\u00BB": '"',
  "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
  "\u2026": "...",
};
const TYPOGRAPHIC = new RegExp(`[${Object.keys(TYPOGRAPHIC_TO_ASCII).join("")}]`, "gu");

/**
 * Grapheme clusters are the smallest units NFKC never composes across, so each maps back cleanly.
 * Made at the first text that is not ASCII: building it loads ICU's data (about 12 ms of a
 * 0.3 s run), which an all-ASCII run never needs.
 */
let graphemes: Intl.Segmenter | null = null;

/** Normalises `text` the way `options` say, remembering where each output character came from. */
export function normalizeText(text: string, options: MatchOptions = DEFAULT_MATCH): NormalizedText {
  const collapse = options.normalize !== "none";
  if (ASCII.test(text)) return normalizeAscii(text, collapse, options.case_sensitive);
  let out = "";
  const start: number[] = [];
  const end: number[] = [];
  let pendingSpace: [number, number] | null = null;

  for (const { segment, index } of segments(text)) {
    const range: [number, number] = [index, index + segment.length];
    let unit = options.normalize === "nfkc" ? foldTypography(segment.normalize("NFKC")) : segment;
    if (!options.case_sensitive) unit = unit.toLowerCase();
    for (const char of unit) {
      if (collapse && /\s/u.test(char)) {
        // A run of whitespace becomes one space where the run started; leading/trailing runs vanish.
        pendingSpace ??= range;
        continue;
      }
      if (pendingSpace && out.length > 0) {
        out += " ";
        start.push(pendingSpace[0]);
        end.push(pendingSpace[1]);
      }
      pendingSpace = null;
      out += char;
      for (let i = 0; i < char.length; i++) {
        start.push(range[0]);
        end.push(range[1]);
      }
    }
  }
  return { text: out, start, end };
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Most answers are ASCII, where NFKC and the typographic folds change nothing and every character
 * is its own cluster (but CR LF): the same result as the general loop, without segmenting (the hot path of
 * scoring at scale).
 */
function normalizeAscii(text: string, collapse: boolean, caseSensitive: boolean): NormalizedText {
  const source = caseSensitive ? text : text.toLowerCase();
  let out = "";
  // The output is never longer than the input here (runs of whitespace only shrink).
  const start = new Int32Array(source.length);
  const end = new Int32Array(source.length);
  let n = 0;
  const unit = (from: number, to: number) => {
    start[n] = from;
    end[n++] = to;
  };
  let spaceFrom = -1;
  let spaceTo = -1;
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    // CR LF is the one ASCII grapheme cluster of two characters.
    const width = code === 13 && source.charCodeAt(i + 1) === 10 ? 2 : 1;
    if (collapse && (code === 32 || (code >= 9 && code <= 13))) {
      if (spaceFrom === -1) [spaceFrom, spaceTo] = [i, i + width];
      i += width - 1;
      continue;
    }
    if (spaceFrom !== -1 && out.length > 0) {
      out += " ";
      unit(spaceFrom, spaceTo);
    }
    spaceFrom = -1;
    if (width === 2) {
      // Not collapsed: both characters come from the one cluster.
      out += "\r\n";
      unit(i, i + 2);
      unit(i, i + 2);
      i++;
      continue;
    }
    out += source[i];
    unit(i, i + 1);
  }
  return { text: out, start: start.subarray(0, n), end: end.subarray(0, n) };
}

function segments(text: string): Iterable<{ segment: string; index: number }> {
  graphemes ??= new Intl.Segmenter("und", { granularity: "grapheme" });
  return graphemes.segment(text);
}

function foldTypography(s: string): string {
  return s.replace(TYPOGRAPHIC, (c) => TYPOGRAPHIC_TO_ASCII[c] ?? c);
}

export interface PhraseHit {
  /** Offset (JavaScript string index) of the match in the original text. */
  readonly offset: number;
  /** Length of the matched stretch of the original text. */
  readonly length: number;
}

/** Every non-overlapping occurrence of `phrase` in `haystack`, located in the original text. */
export function findPhrase(haystack: NormalizedText, phrase: string, options: MatchOptions = DEFAULT_MATCH): PhraseHit[] {
  const needle = normalizeText(phrase, options).text;
  if (needle.length === 0) return [];
  const hits: PhraseHit[] = [];
  for (let at = haystack.text.indexOf(needle); at !== -1; at = haystack.text.indexOf(needle, at + needle.length)) {
    const start = haystack.start[at]!;
    const end = haystack.end[at + needle.length - 1]!;
    hits.push({ offset: start, length: end - start });
  }
  return hits;
}

/** The expectation's match options with the documented defaults filled in. */
export function matchOptions(match: Partial<MatchOptions> | undefined): MatchOptions {
  return { ...DEFAULT_MATCH, ...match };
}
