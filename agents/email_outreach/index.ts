import { ToolError, defineAgent } from "evalgate";
import { ATTR } from "evalgate";
import { composeEmail, formatDraft, loadEnrichment, loadPersona, saveDraft, type ComposedDraft } from "./compose.ts";
import { JsonReplyError } from "../shared/json-reply.ts";
import { EmailOutreachInput } from "./schema.ts";

/**
 * email_outreach: compose a cold email or a follow-up for one contact, stop at the human gate,
 * and save the draft (`create_draft`) only when the reviewer approves and the guardrails are clean.
 * The answer is the draft itself (subject, blank line, body) plus a bracketed note when it was
 * not saved, so the dataset's phrase checks read exactly what the recipient would.
 */
export default defineAgent({
  graph: "email_outreach",
  input: EmailOutreachInput,
  maxSteps: 2,
  async run(input, ctx) {
    const contextErrors: string[] = [];
    let enrichment = input.enrichment ?? null;
    if (!enrichment) {
      const looked = await loadEnrichment(ctx.tools, input.company.id);
      enrichment = looked.value;
      if (looked.error) contextErrors.push(looked.error);
    }
    let persona = input.persona ?? null;
    if (!persona) {
      const looked = await loadPersona(ctx.tools, input.contact.id);
      persona = looked.value;
      if (looked.error) contextErrors.push(looked.error);
    }

    let draft: ComposedDraft;
    try {
      draft = await composeEmail(ctx, { contact: input.contact, company: input.company, enrichment, persona, kind: input.kind, previous_email: input.previous_email });
    } catch (error) {
      if (!(error instanceof JsonReplyError)) throw error;
      const answer = `No draft: ${error.message}`;
      ctx.root.set({ [ATTR.answer]: answer, [ATTR.steps]: 2 });
      return { answer, data: { sent: false, problems: [error.message], context_errors: contextErrors, decision: input.human_decision } };
    }

    const blocked = draft.problems.length > 0;
    await ctx.span("checkpoint:human_gate", "chain", { decision: input.human_decision, contact_id: input.contact.id, blocked_by_guardrails: blocked }, async () => {});

    let sent = false;
    let draftId: string | null = null;
    let note = "";
    if (input.human_decision === "skip") {
      note = "[skipped at the human gate: draft not saved or sent]";
    } else if (blocked) {
      note = `[not saved: guardrails flagged ${draft.problems.join("; ")}]`;
    } else {
      try {
        draftId = await saveDraft(ctx.tools, input.contact.id, draft);
        sent = true;
      } catch (error) {
        if (!(error instanceof ToolError)) throw error;
        note = `[not saved: create_draft failed: ${error.message}]`;
      }
    }

    const answer = note ? `${formatDraft(draft)}\n\n${note}` : formatDraft(draft);
    ctx.root.set({ [ATTR.answer]: answer, [ATTR.steps]: draft.llm_calls });
    return {
      answer,
      data: {
        subject: draft.subject,
        body: draft.body,
        problems: draft.problems,
        sent,
        draft_id: draftId,
        decision: input.human_decision,
        llm_calls: draft.llm_calls,
        context_errors: contextErrors,
      },
    };
  },
});
