import { ToolError, type AgentContext } from "evalgate";
import { composeEmail, saveDraft } from "../../email_outreach/compose.ts";
import type { HumanDecision } from "../../email_outreach/schema.ts";
import { readToolJson } from "../../shared/tool-result.ts";
import { QueueRows, type DraftRecord, type PipelineInput } from "../schema.ts";
import { runPhase } from "../stage.ts";
import { callTool, softly } from "../tool-call.ts";
import type { CompanyContacts } from "./contacts.ts";

/** A contact must score at least this to be drafted for; one contact (the best) per company. */
export const MIN_PERSONA_SCORE = 0.5;

/** The schema-drift signature: the production table predates the last_outreach_at migration. */
const MISSING_LAST_OUTREACH = /column\s+"?(?:\w+\.)?last_outreach_at"?\s+does not exist/i;


function pickCandidates(rows: readonly CompanyContacts[]): { row: CompanyContacts; contactIndex: number }[] {
  const picked: { row: CompanyContacts; contactIndex: number }[] = [];
  for (const row of rows) {
    let best = -1;
    row.contacts.forEach((c, i) => {
      const score = c.persona?.score ?? -1;
      if (score >= MIN_PERSONA_SCORE && (best < 0 || score > (row.contacts[best]!.persona?.score ?? -1))) best = i;
    });
    if (best >= 0) picked.push({ row, contactIndex: best });
  }
  return picked;
}

/** Contacts not reached recently; falls back to the email_drafts history when the column is missing. */
async function selectQueue(ctx: AgentContext, contactIds: number[], errors: string[]): Promise<{ ids: number[]; fallback: boolean }> {
  try {
    return { ids: readToolJson("select_outreach_queue", await callTool(ctx.tools, "select_outreach_queue", { contact_ids: contactIds }), QueueRows).contact_ids, fallback: false };
  } catch (error) {
    if (!(error instanceof ToolError) || !MISSING_LAST_OUTREACH.test(error.message)) throw error;
    errors.push(`schema drift: ${error.message}; used select_outreach_queue_fallback (email_drafts history)`);
  }
  return { ids: readToolJson("select_outreach_queue_fallback", await callTool(ctx.tools, "select_outreach_queue_fallback", { contact_ids: contactIds }), QueueRows).contact_ids, fallback: true };
}

/**
 * outreach: queue the best contact per company, stop at the human gate unless auto_confirm,
 * then compose and save drafts one recipient at a time (sequential, so quota use stays visible).
 * The composer is email_outreach's, guardrails included.
 */
export function runOutreach(ctx: AgentContext, input: PipelineInput, rows: readonly CompanyContacts[]) {
  const decision: HumanDecision | "auto" = input.auto_confirm ? "auto" : input.human_decision ?? "skip";
  return runPhase(ctx, "outreach", { human_decision: decision, template_key: "cold" }, async (span) => {
    const errors: string[] = [];
    const drafts: DraftRecord[] = [];
    const candidates = pickCandidates(rows);
    if (candidates.length === 0) return { processed: 0, created: 0, errors, value: { drafts, decision, queued: 0 } };

    const queue = await softly(errors, "queue", () => selectQueue(ctx, candidates.map((c) => c.row.contacts[c.contactIndex]!.contact.id), errors))
      ?? { ids: [], fallback: false };
    span.set({ db_fallback: queue.fallback, queued: queue.ids.length });
    const queued = candidates.filter((c) => queue.ids.includes(c.row.contacts[c.contactIndex]!.contact.id));
    if (queued.length === 0) return { processed: 0, created: 0, errors, value: { drafts, decision, queued: 0 } };

    if (!input.auto_confirm) {
      await ctx.span("checkpoint:human_gate", "chain", { decision, queued: queued.length }, async () => {});
      if (decision === "skip") return { processed: queued.length, created: 0, errors, value: { drafts, decision, queued: queued.length } };
    }

    let created = 0;
    for (const { row, contactIndex } of queued) {
      const { contact, persona } = row.contacts[contactIndex]!;
      await softly(errors, `contact ${contact.id}`, () => ctx.span(`worker:outreach_run[contact_id=${contact.id}]`, "worker", { contact_id: contact.id, company_id: row.company.id, template_key: "cold" }, async (worker) => {
        const draft = await composeEmail(ctx, { contact, company: row.company, enrichment: row.enrichment, persona, kind: "cold" });
        const record: DraftRecord = {
          contact_id: contact.id,
          company_id: row.company.id,
          to: `${contact.first_name} ${contact.last_name}`,
          company: row.company.name,
          subject: draft.subject,
          body: draft.body,
          problems: draft.problems,
          draft_id: null,
        };
        drafts.push(record);
        if (draft.problems.length > 0) {
          errors.push(`contact ${contact.id}: draft not saved, guardrails flagged ${draft.problems.join("; ")}`);
          return;
        }
        record.draft_id = await saveDraft(ctx.tools, contact.id, draft);
        created++;
        worker.set({ draft_id: record.draft_id });
      }));
    }
    span.set({ drafts_created: created });
    return { processed: queued.length, created, errors, value: { drafts, decision, queued: queued.length } };
  });
}
