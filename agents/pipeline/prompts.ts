import type { Contact, Enrichment } from "../email_outreach/schema.ts";
import type { CompanyRow } from "./schema.ts";

/**
 * Every user turn starts with `task: <step> <id>=<n>` (for example `task: enrich_one
 * company_id=42`): workers run in parallel, and this marker is what lets a scripted reply (and a
 * person reading a trace) tell one worker's request from another's.
 */

const JSON_ONLY = "Reply with one JSON object only, no prose.";
const PAGE_LIMIT = 4000;

export const DISCOVER_SYSTEM = [
  "You find companies that match an ideal customer profile (ICP).",
  "Propose real, currently operating companies by their primary web domain. If unsure, propose fewer; an empty list is a valid answer.",
  `${JSON_ONLY} Shape: {"domains": ["example.com"]}`,
].join("\n");

export function discoverUser(icp: string, max: number): string {
  return `task: discover max_companies=${max}\nICP: ${icp}`;
}

export const ENRICH_SYSTEM = [
  "You enrich one company record from the text of its homepage.",
  "Use only what the page says. Do not add customers, metrics or funding the page does not state.",
  "hooks: up to 3 concrete, checkable facts from the page a salesperson could open an email with.",
  `${JSON_ONLY} Shape: {"summary": "one sentence", "industry": "...", "hooks": ["..."]}`,
].join("\n");

export function enrichUser(company: CompanyRow, page: string): string {
  const text = page.length > PAGE_LIMIT ? `${page.slice(0, PAGE_LIMIT)}…` : page;
  return `task: enrich_one company_id=${company.id}\ncompany: ${company.name} (${company.domain})\nhomepage text:\n${text}`;
}

export const CONTACTS_SYSTEM = [
  "You score a company's contacts for outreach against an ideal customer profile (ICP).",
  "score: 0..1, how likely this person owns the problem the ICP describes. pains: what they likely care about, from their title and the company summary only.",
  `${JSON_ONLY} Shape: {"personas": [{"contact_id": 1, "score": 0.5, "pains": ["..."], "tone": "..."}]}, one entry per contact listed.`,
].join("\n");

export function contactsUser(icp: string, company: CompanyRow, enrichment: Enrichment, contacts: readonly Contact[]): string {
  return [
    `task: contact_one company_id=${company.id}`,
    `ICP: ${icp}`,
    `company: ${company.name} (${company.domain}): ${enrichment.summary}`,
    "contacts:",
    ...contacts.map((c) => `- contact_id=${c.id} ${c.first_name} ${c.last_name}, ${c.title}`),
  ].join("\n");
}

export const CRITIC_SYSTEM = [
  "You audit freshly written company enrichment rows for plausibility.",
  "A row passes when its summary and hooks are specific and could come from the company's own homepage; it fails when they are generic, contradictory or look invented.",
  `${JSON_ONLY} Shape: {"pass_rate": <share of rows that pass, 0..1>, "comments": ["one line per failing row"]}`,
].join("\n");

export function criticUser(sample: readonly { company: CompanyRow; enrichment: Enrichment }[]): string {
  return [
    `task: qa_critic sample_size=${sample.length}`,
    ...sample.map(({ company, enrichment }) => `- company_id=${company.id} ${company.name} (${company.domain}): ${enrichment.summary} | hooks: ${enrichment.hooks.join("; ") || "(none)"}`),
  ].join("\n");
}
