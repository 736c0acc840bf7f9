import type { ExampleResult, Report } from "../core/report.ts";

/**
 * Redaction of secrets and personal data from everything evalgate writes, prints or sends.
 * Pure: no I/O, no environment (the caller passes the secret values it knows). Rules:
 *  - secrets: exact values evalgate knows (the LLM key, the LangSmith key), always;
 *  - API-key shapes (sk-…, lsv2_…, ghp_…, Bearer …, AKIA…), always;
 *  - configured patterns (`redact.patterns`), always;
 *  - PII: e-mail addresses, phone numbers, payment cards (Luhn-checked, so order ids and
 *    timestamps survive), unless `pii: false`.
 * Every built-in rule runs in time linear in its input: a megabyte of hostile text must not stall
 * a report (the e-mail rule is a scanner, not a regex, for that reason). Configured patterns are
 * the user's own regexes and only as fast as they are.
 */

export interface Redactor {
  string(text: string): string;
  /**
   * Redacts every string inside `value`: objects and arrays holding something to redact are copied
   * (keys kept), and whatever holds nothing is returned as it is, so treat the result as read-only.
   */
  value<T>(value: T): T;
}

interface Rule {
  readonly label: string;
  readonly pattern: RegExp;
  /** Returns the replacement, or null to keep the match (a failed Luhn check, a date…). */
  readonly replace: (match: string) => string | null;
  /**
   * A cheap test that every match passes (a literal the pattern starts with, enough digits in a
   * row): most text has none, and skipping the full pattern there made redaction several times
   * cheaper. Not global, so it keeps no state between texts.
   */
  readonly probe?: RegExp;
}

const token = (label: string) => `[redacted:${label}]`;

// Bounded repetitions: an unbounded one over a megabytes-long run overflows the regex engine's
// backtracking stack (a RangeError, not a slow match). Real keys are far shorter than the bounds.
const API_KEY_RULES: Rule[] = [
  // Bearer tokens keep the scheme so a reader still sees what the value was.
  { label: "api-key", pattern: /\bBearer\s+[A-Za-z0-9._~+/=-]{8,4096}/gi, probe: /bearer/i, replace: () => `Bearer ${token("api-key")}` },
  { label: "api-key", pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{8,1024}/g, probe: /sk-/, replace: () => token("api-key") },
  { label: "api-key", pattern: /(?<![A-Za-z0-9_])lsv2_[A-Za-z0-9_]{8,1024}/g, probe: /lsv2_/, replace: () => token("api-key") },
  { label: "api-key", pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})/g, probe: /gh[pousr]_|github_pat_/, replace: () => token("api-key") },
  { label: "api-key", pattern: /(?<![A-Za-z0-9])(?:AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9])/g, probe: /AKIA|AIza/, replace: () => token("api-key") },
];


/** Every key rule's probe in one: a text that fails it cannot match any of them. */
const ANY_API_KEY_PROBE = /bearer|sk-|lsv2_|gh[pousr]_|github_pat_|AKIA|AIza/i;

// The digit rules' probes: a run of digits and the characters a match may hold between them, with
// as many digits as the rule needs (13 for a card, 8 for a phone number, which looksLikePhone
// wants). Most answers have digits, few have 8 in a row. The joiners between two digits are
// bounded (a match has one or two there), so a megabyte of spaces is one linear scan.
const CARD_RULE: Rule = {
  label: "card",
  pattern: /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g,
  probe: /\d(?:[ -]{0,8}\d){12}/,
  replace: (match) => (luhnValid(match.replace(/\D/g, "")) ? token("card") : null),
};

const PHONE_RULE: Rule = {
  label: "phone",
  pattern: /(?<![\w+.-])(?:\+\d{8,15}|(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){0,4})(?!\w)/g,
  probe: /\d(?:[ .()+-]{0,8}\d){7}/,
  replace: (match) => (looksLikePhone(match) ? token("phone") : null),
};

export interface RedactionOptions {
  /** Exact values to remove wherever they appear (keys read from the environment); shorter than 8 characters are ignored. */
  readonly secrets?: readonly string[];
  /** Extra JavaScript regex sources, matched globally. */
  readonly patterns?: readonly string[];
  /** Where the patterns came from, for error messages ("redact.patterns"). */
  readonly patternsField?: string;
  /** E-mail addresses, phone numbers and card numbers (default true), or only those named. */
  readonly pii?: boolean | readonly PiiKind[];
  /** What replaces a match of a PII rule (default "[redacted:<label>]"). */
  readonly marker?: (label: string, match: string) => string;
}

export const PII_KINDS = ["email", "phone", "card"] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export const SECRET_TOKEN = token("secret");

/**
 * Builds a redactor. Throws on a pattern that does not compile or that matches the empty string
 * (it would splice the marker between every character).
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const field = options.patternsField ?? "redact.patterns";
  const extra: Rule[] = (options.patterns ?? []).map((source, index) => {
    let pattern: RegExp;
    try {
      pattern = new RegExp(source, "g");
    } catch (error) {
      throw new Error(`${field}[${index}] is not a valid regular expression (${JSON.stringify(source)}): ${(error as Error).message}`);
    }
    if (new RegExp(source).test("")) {
      throw new Error(`${field}[${index}] matches the empty string (${JSON.stringify(source)}); make it match at least one character`);
    }
    return { label: "pattern", pattern, replace: () => "[redacted]" };
  });
  // Longest first, so a secret that contains another is removed whole.
  const secrets = [...new Set(options.secrets ?? [])].filter((s) => s.length >= 8).sort((a, b) => b.length - a.length);
  const pii = new Set<PiiKind>(options.pii === false ? [] : options.pii === true || options.pii === undefined ? PII_KINDS : options.pii);
  const marker = options.marker;
  // Order matters: keys first (they contain digit runs), cards before phones (both are digit runs).
  const rules = [...API_KEY_RULES, ...extra, ...(pii.has("card") ? [CARD_RULE] : []), ...(pii.has("phone") ? [PHONE_RULE] : [])];

  // The shortest text any rule can change: an e-mail address (a@b.co); a secret, a key, a card
  // and a phone number are longer. The user's own patterns can match anything.
  const shortest = extra.length > 0 ? 1 : pii.has("email") ? 6 : 8;

  const redactString = (text: string): string => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(SECRET_TOKEN);
    // Most strings of a result hold no key shape: one probe for every key rule.
    const keyShaped = ANY_API_KEY_PROBE.test(out);
    for (const rule of rules) {
      if (rule.label === "api-key" && !keyShaped) continue;
      if (rule.probe && !rule.probe.test(out)) continue;
      try {
        out = out.replace(rule.pattern, (match) => {
          const kept = rule.replace(match);
          if (kept === null) return match;
          return marker && rule.label !== "pattern" && rule.label !== "api-key" ? marker(rule.label, match) : kept;
        });
      } catch {
        // A configured pattern the engine cannot run on this text: fail closed, never pass it through unscanned.
        return `[redacted: ${text.length} characters that the ${rule.label} rule could not scan]`;
      }
    }
    return pii.has("email") && out.includes("@") ? redactEmails(out, marker) : out;
  };

  // One result holds the same text several times (the input in the row and on the root span, the
  // answer in the output and on the span): each distinct string is scanned once per value.
  // Copy on write: an object or array with nothing to redact is returned as it is, so the common
  // clean result costs a walk and no allocation (a copy of every result was a tenth of a run's garbage).
  const redactValue = (value: unknown, seen: Map<string, string>): unknown => {
    if (typeof value === "string") {
      // Ids, statuses, roles, model names: most strings of a result are too short to hold anything.
      if (value.length < shortest) return value;
      let out = seen.get(value);
      if (out === undefined) seen.set(value, (out = redactString(value)));
      return out;
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        const out = redactValue(item, seen);
        if (out !== item && copy === null) copy = value.slice(0, i);
        copy?.push(out);
      }
      return copy ?? value;
    }
    if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      let copy: Record<string, unknown> | null = null;
      for (let i = 0; i < keys.length; i++) {
        const item = (value as Record<string, unknown>)[keys[i]!];
        const out = redactValue(item, seen);
        if (out !== item && copy === null) {
          copy = {};
          for (let j = 0; j < i; j++) copy[keys[j]!] = (value as Record<string, unknown>)[keys[j]!];
        }
        if (copy !== null) copy[keys[i]!] = out;
      }
      return copy ?? value;
    }
    return value;
  };

  return { string: redactString, value: <T>(value: T) => redactValue(value, new Map()) as T };
}

/**
 * A copy of the report with every content field redacted: example inputs, expect blocks,
 * outputs, errors, descriptions (of examples and of datasets), score reasons and details, span attributes and span errors.
 * Structural fields (ids, graph names, file paths, times, hashes, tags) are left alone so
 * stable ids and links stay stable.
 */
export function redactReport(report: Report, redactor: Redactor): Report {
  return {
    ...report,
    // Dataset descriptions are free text from the YAML; LangSmith shows them on the dataset.
    datasets: report.datasets.map((dataset) => ({ ...dataset, description: redactor.string(dataset.description) })),
    examples: report.examples.map((example) => redactExample(example, redactor)),
  };
}

/** One example's content fields redacted (what redactReport does to each). */
export function redactExample(example: ExampleResult, r: Redactor): ExampleResult {
  return {
    ...example,
    ...(example.description !== undefined && { description: r.string(example.description) }),
    ...(example.error !== undefined && { error: r.value(example.error) }),
    input: r.value(example.input),
    expect: r.value(example.expect),
    output: r.value(example.output),
    scores: example.scores.map((score) => ({
      ...score,
      reason: r.string(score.reason),
      ...(score.details !== undefined && { details: r.value(score.details) }),
    })),
    spans: example.spans.map((span) => ({
      ...span,
      attributes: r.value(span.attributes),
      ...(span.error !== undefined && { error: r.string(span.error) }),
    })),
  };
}

const isLocalChar = (c: number) => isAlnum(c) || c === 46 /* . */ || c === 95 /* _ */ || c === 37 /* % */ || c === 43 /* + */ || c === 45; /* - */
const isDomainChar = (c: number) => isAlnum(c) || c === 45 /* - */ || c === 46; /* . */
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number) => isLetter(c) || (c >= 48 && c <= 57);

/**
 * E-mail addresses (local@label.label.tld, a TLD of two or more letters), found from each "@"
 * outwards. Each character is looked at a bounded number of times, so this is linear where the
 * equivalent regex is quadratic in the length of a run of address characters.
 */
function redactEmails(text: string, marker: RedactionOptions["marker"]): string {
  let out = "";
  let copied = 0;
  let at = text.indexOf("@");
  while (at !== -1) {
    let start = at;
    while (start > copied && isLocalChar(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && isDomainChar(text.charCodeAt(end))) end++;
    const domainEnd = start < at ? emailDomainEnd(text, at + 1, end) : -1;
    if (domainEnd !== -1) {
      out += text.slice(copied, start) + (marker ? marker("email", text.slice(start, domainEnd)) : token("email"));
      copied = domainEnd;
      at = text.indexOf("@", domainEnd);
    } else {
      at = text.indexOf("@", at + 1);
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Where the longest valid domain starting at `from` ends (labels of letters, digits and "-"
 * separated by single dots, the last one starting with two letters), or -1.
 */
function emailDomainEnd(text: string, from: number, to: number): number {
  let best = -1;
  let labelStart = from;
  let labels = 0;
  for (let i = from; i <= to; i++) {
    if (i < to && text.charCodeAt(i) !== 46) continue;
    if (i === labelStart) break; // an empty label ends the domain
    if (labels > 0) {
      let letters = 0;
      while (labelStart + letters < i && isLetter(text.charCodeAt(labelStart + letters))) letters++;
      if (letters >= 2) best = labelStart + letters;
    }
    labels++;
    labelStart = i + 1;
  }
  return best;
}

export function luhnValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Phone numbers are digit groups, so the candidate pattern is loose and this decides:
 * an international prefix or an area code in parentheses with 8–15 digits, or at least two
 * separators with 10–15 digits. Dates (2026-11-21 10), IPv4 addresses and decimals do not pass.
 */
function looksLikePhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, "").length;
  if (/^\d{4}-\d{1,2}-\d{1,2}\b/.test(candidate)) return false;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(candidate)) return false;
  if (candidate.startsWith("+") || candidate.includes("(")) return digits >= 8 && digits <= 15;
  const separators = (candidate.match(/[ .-]/g) ?? []).length;
  return separators >= 2 && digits >= 10 && digits <= 15;
}
