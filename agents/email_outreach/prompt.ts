import type { Company, Contact, EmailKind, Enrichment, Persona } from "./schema.ts";

/** Who the emails come from. Fixed, so the model never has to invent a sender (or leave "[Your Name]"). */
export const SENDER = { name: "Jordan Lee", company: "Northbeam", offer: "B2B lead enrichment and outreach tooling" } as const;

export const COMPOSE_SYSTEM = [
  `You write short B2B sales emails for ${SENDER.name} at ${SENDER.company} (${SENDER.offer}).`,
  "Rules:",
  "- Use only the facts given in the request. Never invent customers, metrics, case studies, awards, funding or partnerships.",
  "- Greet the contact by their first name exactly as given.",
  "- Name the company and open with one concrete hook from the enrichment.",
  "- Make no promises: never write \"guaranteed\", \"risk-free\" or \"100%\".",
  "- Write final text: no template placeholders such as {first_name} or [Your Name].",
  `- Sign off as ${SENDER.name}.`,
  "- Under 120 words; one clear ask (a short call or a reply).",
  "Reply with one JSON object only: {\"subject\": \"...\", \"body\": \"...\"}",
].join("\n");

export interface ComposeRequest {
  contact: Contact;
  company: Company;
  enrichment: Enrichment | null;
  persona: Persona | null;
  kind: EmailKind;
  previous_email?: string;
}

/**
 * The user turn. Its first line carries `contact_id=<id>` so scripted replies (and a reader of a
 * trace) can tell one recipient's request from another's.
 */
export function composeUserMessage(req: ComposeRequest): string {
  const { contact, company, enrichment, persona } = req;
  const lines = [
    `task: compose_email contact_id=${contact.id} kind=${req.kind}`,
    `contact: ${contact.first_name} ${contact.last_name}, ${contact.title} <${contact.email}>`,
    `company: ${company.name} (${company.domain})`,
  ];
  if (enrichment) {
    lines.push(`enrichment summary: ${enrichment.summary}`);
    if (enrichment.industry) lines.push(`industry: ${enrichment.industry}`);
    for (const hook of enrichment.hooks) lines.push(`hook: ${hook}`);
  } else {
    lines.push("enrichment: none available (do not guess facts about the company)");
  }
  if (persona) {
    for (const pain of persona.pains) lines.push(`persona pain: ${pain}`);
    if (persona.tone) lines.push(`preferred tone: ${persona.tone}`);
  }
  if (req.kind === "follow_up") {
    lines.push(
      "This is a follow-up: they have not replied to the email below. Do not repeat it;",
      "add one new angle from the enrichment, stay under 80 words, and keep the subject as \"Re: <previous subject>\".",
      "previous email:",
      req.previous_email ?? "",
    );
  }
  return lines.join("\n");
}

export function repairMessage(problems: readonly string[]): string {
  return [
    "Your draft cannot be sent yet:",
    ...problems.map((p) => `- ${p}`),
    "Rewrite it fixing these. Reply with one JSON object only: {\"subject\": \"...\", \"body\": \"...\"}",
  ].join("\n");
}
