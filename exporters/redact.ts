import type { ExampleResult, Report } from "../core/report.ts";

/**
 * Redaction applied to everything an exporter sends or writes, before it leaves the process.
 * Pure: no I/O, no environment. Built-in rules cover e-mail addresses, phone numbers, payment
 * card numbers (Luhn-checked, so order ids and timestamps survive) and API-key-looking tokens;
 * `langsmith.redact` in eval.config.ts adds project-specific patterns.
 */

export interface Redactor {
  string(text: string): string;
  /** Redacts every string inside `value` (objects and arrays are copied; keys are kept). */
  value<T>(value: T): T;
}

interface Rule {
  readonly label: string;
  readonly pattern: RegExp;
  /** Returns the replacement, or null to keep the match (a failed Luhn check, a date…). */
  readonly replace: (match: string) => string | null;
}

const token = (label: string) => `[redacted:${label}]`;

const API_KEY_RULES: Rule[] = [
  // Bearer tokens keep the scheme so a reader still sees what the value was.
  { label: "api-key", pattern: /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, replace: () => `Bearer ${token("api-key")}` },
  { label: "api-key", pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{8,}/g, replace: () => token("api-key") },
  { label: "api-key", pattern: /(?<![A-Za-z0-9_])lsv2_[A-Za-z0-9_]{8,}/g, replace: () => token("api-key") },
  { label: "api-key", pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, replace: () => token("api-key") },
  { label: "api-key", pattern: /(?<![A-Za-z0-9])(?:AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9])/g, replace: () => token("api-key") },
];

const EMAIL_RULE: Rule = {
  label: "email",
  pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  replace: () => token("email"),
};

const CARD_RULE: Rule = {
  label: "card",
  pattern: /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g,
  replace: (match) => (luhnValid(match.replace(/\D/g, "")) ? token("card") : null),
};

const PHONE_RULE: Rule = {
  label: "phone",
  pattern: /(?<![\w+.-])(?:\+\d{8,15}|(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){0,4})(?!\w)/g,
  replace: (match) => (looksLikePhone(match) ? token("phone") : null),
};

/** Order matters: keys first (they contain digit runs), cards before phones (both are digit runs). */
const BUILT_IN_RULES: readonly Rule[] = [...API_KEY_RULES, EMAIL_RULE, CARD_RULE, PHONE_RULE];

/**
 * Builds a redactor from the built-in rules plus `extraPatterns` (JavaScript regex sources,
 * matched globally). Throws on a pattern that does not compile or that matches the empty
 * string (it would splice the marker between every character).
 */
export function createRedactor(extraPatterns: readonly string[] = []): Redactor {
  const extra: Rule[] = extraPatterns.map((source, index) => {
    let pattern: RegExp;
    try {
      pattern = new RegExp(source, "g");
    } catch (error) {
      throw new Error(`langsmith.redact[${index}] is not a valid regular expression (${JSON.stringify(source)}): ${(error as Error).message}`);
    }
    if (new RegExp(source).test("")) {
      throw new Error(`langsmith.redact[${index}] matches the empty string (${JSON.stringify(source)}); make it match at least one character`);
    }
    return { label: "pattern", pattern, replace: () => "[redacted]" };
  });
  const rules = [...BUILT_IN_RULES, ...extra];

  const redactString = (text: string): string => {
    let out = text;
    for (const rule of rules) {
      out = out.replace(rule.pattern, (match) => rule.replace(match) ?? match);
    }
    return out;
  };

  const redactValue = (value: unknown): unknown => {
    if (typeof value === "string") return redactString(value);
    if (Array.isArray(value)) return value.map(redactValue);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v)]));
    }
    return value;
  };

  return { string: redactString, value: <T>(value: T) => redactValue(value) as T };
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

function redactExample(example: ExampleResult, r: Redactor): ExampleResult {
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
