import type { AgentContext } from "evalgate";
import { askJson } from "../../shared/json-reply.ts";
import { systemAndUser } from "../../shared/message-text.ts";
import { readToolJson } from "../../shared/tool-result.ts";
import { CONTACTS_SYSTEM, contactsUser } from "../prompts.ts";
import { ContactRows, PersonaReply, type EnrichedCompany, type ScoredContact } from "../schema.ts";
import { fanOut, runPhase } from "../stage.ts";
import { callTool, type RetryCounter } from "../tool-call.ts";

export interface CompanyContacts extends EnrichedCompany {
  contacts: ScoredContact[];
}

/**
 * contacts: one `worker:contact_one[company_id=N]` per enriched company, in parallel: discover
 * the company's contacts, then one model call scores their personas. Companies whose
 * enrichment failed are not queued: outreach could not say anything true about them.
 */
export function runContacts(ctx: AgentContext, icp: string, enriched: readonly EnrichedCompany[]) {
  const byId = new Map(enriched.map((e) => [e.company.id, e]));
  return runPhase(ctx, "contacts", { queued: enriched.length }, async () => {
    const { done, errors } = await fanOut(
      ctx,
      enriched.map((e) => e.company.id),
      { span: (id) => `worker:contact_one[company_id=${id}]`, key: "company_id", label: "company" },
      async (id, span): Promise<CompanyContacts> => {
        const row = byId.get(id)!;
        const counter: RetryCounter = { retries: 0 };
        try {
          const contacts = readToolJson("discover_contacts", await callTool(ctx.tools, "discover_contacts", { company_id: id }, counter), ContactRows);
          span.set({ contacts_created: contacts.length });
          if (contacts.length === 0) return { ...row, contacts: [] };
          const value = await askJson(ctx, systemAndUser(CONTACTS_SYSTEM, contactsUser(icp, row.company, row.enrichment, contacts)), PersonaReply, { step: "persona reply" });
          // Scores for ids the model made up are dropped: they belong to no contact we hold.
          const personas = new Map(value.personas.map((p) => [p.contact_id, p]));
          const scored = contacts.map((contact) => {
            const p = personas.get(contact.id);
            return { contact, persona: p ? { score: p.score, pains: p.pains, ...(p.tone ? { tone: p.tone } : {}) } : null };
          });
          return { ...row, contacts: scored };
        } finally {
          span.set({ retries: counter.retries });
        }
      },
    );
    const created = done.reduce((n, d) => n + d.result.contacts.length, 0);
    return { processed: enriched.length, created, errors, value: done.map((d) => d.result) };
  });
}
