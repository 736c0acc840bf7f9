import { defineAgent } from "evalgate";
import { ATTR } from "evalgate";
import { runContacts } from "./phases/contacts.ts";
import { runDiscover } from "./phases/discover.ts";
import { runEnrich } from "./phases/enrich.ts";
import { runOutreach } from "./phases/outreach.ts";
import { runQa } from "./phases/qa.ts";
import { PipelineInput } from "./schema.ts";
import { summarize } from "./summary.ts";

/**
 * pipeline: the five-phase lead-gen run, discover → enrich → contacts → qa → outreach. Each
 * phase is a `phase:<name>` span carrying its StageReport; enrich and contacts fan out one
 * worker span per company; outreach stops at the human gate unless auto_confirm. Per-company
 * failures are soft: they land in that phase's errors[] and the run goes on.
 */
export default defineAgent({
  graph: "pipeline",
  input: PipelineInput,
  async run(input, ctx) {
    ctx.root.set({ icp_summary: input.icp.slice(0, 120), auto_confirm: input.auto_confirm });
    const discover = await runDiscover(ctx, input);
    const enrich = await runEnrich(ctx, discover.value);
    const contacts = await runContacts(ctx, input.icp, enrich.value);
    const qa = await runQa(ctx, discover.value, enrich.value);
    const outreach = await runOutreach(ctx, input, contacts.value);

    const stages = { discover: discover.report, enrich: enrich.report, contacts: contacts.report, qa: qa.report, outreach: outreach.report };
    const drafts = outreach.value.drafts;
    const answer = summarize({ icp: input.icp, stages, qa: qa.value, decision: outreach.value.decision, drafts });
    ctx.root.set({ [ATTR.answer]: answer, drafts_created: outreach.report.created });
    return {
      answer,
      data: {
        stages,
        drafts,
        qa: qa.value,
        companies: discover.value.map((c) => ({ ...c, enriched: enrich.value.some((e) => e.company.id === c.id) })),
      },
    };
  },
});
