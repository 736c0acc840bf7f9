import type { Expect } from "../core/dataset.ts";

export type RegexSpec = Expect["regex"][number];

export type Compiled =
  | { readonly ok: true; readonly label: string; readonly regex: RegExp }
  | { readonly ok: false; readonly label: string; readonly error: string };

/** Shown the way it would be written in JavaScript: /pattern/flags. */
export function regexLabel(spec: RegexSpec): string {
  return typeof spec === "string" ? `/${spec}/` : `/${spec.pattern}/${spec.flags ?? ""}`;
}

/**
 * Dataset validation already rejects bad patterns; this stays defensive so a report built from
 * an unvalidated example says what is wrong instead of crashing the run.
 */
export function compileRegex(spec: RegexSpec): Compiled {
  const label = regexLabel(spec);
  try {
    const regex = typeof spec === "string" ? new RegExp(spec) : new RegExp(spec.pattern, spec.flags ?? "");
    return { ok: true, label, regex };
  } catch (error) {
    return { ok: false, label, error: error instanceof Error ? error.message : String(error) };
  }
}

/** First match position, ignoring any `g`/`y` state a shared RegExp would carry between calls. */
export function firstMatch(regex: RegExp, text: string): { index: number; length: number } | null {
  regex.lastIndex = 0;
  const m = regex.exec(text);
  return m ? { index: m.index, length: m[0].length } : null;
}
