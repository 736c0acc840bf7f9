import type { Company, Contact, DraftReply } from "./schema.ts";

/**
 * Checks a draft must pass before it may be saved. Each problem is one line a reviewer can act
 * on; any problem blocks `create_draft`, whatever the human decides, because a half-templated or
 * over-promising email is worse than no email.
 */

/** `{first_name}`, `{{ company }}`, `[Your Name]`, `<first_name>`: template slots the model left unfilled. */
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /\{\{?\s*[A-Za-z_][\w.]*\s*\}?\}/g,
  /\[[^\]\n]{0,30}\b(?:name|company|title|role|hook|domain|first|last)\b[^\]\n]{0,30}\]/gi,
  /<\s*(?:first|last|company|contact)_?\w*\s*>/gi,
];

/** Promises sales review never lets through. */
const BANNED_PHRASES: readonly string[] = ["guaranteed", "guarantee", "risk-free", "100%"];

export function findPlaceholders(text: string): string[] {
  const found = new Set<string>();
  for (const pattern of PLACEHOLDER_PATTERNS) {
    for (const match of text.matchAll(pattern)) found.add(match[0]);
  }
  return [...found];
}

function containsWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, "iu").test(text);
}

export function checkDraft(draft: DraftReply, who: { contact: Contact; company: Company }): string[] {
  const problems: string[] = [];
  const text = `${draft.subject}\n${draft.body}`;
  const placeholders = findPlaceholders(text);
  if (placeholders.length > 0) problems.push(`unresolved placeholder ${placeholders.join(", ")}: write the real value`);
  const lower = text.toLowerCase();
  const banned = BANNED_PHRASES.filter((p) => lower.includes(p));
  if (banned.length > 0) problems.push(`promise the team cannot make: ${banned.map((b) => JSON.stringify(b)).join(", ")}`);
  if (!containsWord(draft.body, who.contact.first_name)) {
    problems.push(`does not address the contact by first name (${JSON.stringify(who.contact.first_name)})`);
  }
  if (!lower.includes(who.company.name.toLowerCase())) {
    problems.push(`does not name the company (${JSON.stringify(who.company.name)})`);
  }
  return problems;
}
