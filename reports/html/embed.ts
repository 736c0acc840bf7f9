import { createHash } from "node:crypto";

const SCRIPT_UNSAFE: Readonly<Record<string, string>> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "/": "\\/",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * JSON that can sit inside a <script> element whatever the answers say: no "<" means no
 * "</script>" or "<!--" can end or bend the element, and escaping "/" means no literal
 * "https://" appears in the file, so nothing scanning it (or a careless browser) sees a resource
 * reference. Every replacement is a JSON escape, so JSON.parse returns the same value. The
 * characters replaced never occur outside strings in JSON, so a blind replace is exact.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&/\u2028\u2029]/g, (char) => SCRIPT_UNSAFE[char] ?? char);
}

/** A CSP source for inline code: only the page's own script and styles run, whatever the data holds. */
export function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

