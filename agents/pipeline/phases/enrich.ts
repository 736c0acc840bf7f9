import type { AgentContext } from "evalgate";
import { askJson } from "../../shared/json-reply.ts";
import { systemAndUser } from "../../shared/message-text.ts";
import { ENRICH_SYSTEM, enrichUser } from "../prompts.ts";
import { EnrichReply, type CompanyRow, type EnrichedCompany } from "../schema.ts";
import { fanOut, runPhase } from "../stage.ts";
import { callTool, type RetryCounter } from "../tool-call.ts";

/** enrich: one `worker:enrich_one[company_id=N]` per company, in parallel: page → model → save. */
export function runEnrich(ctx: AgentContext, companies: readonly CompanyRow[]) {
  const byId = new Map(companies.map((c) => [c.id, c]));
  return runPhase(ctx, "enrich", { queued: companies.length }, async () => {
    const { done, errors } = await fanOut(
      ctx,
      companies.map((c) => c.id),
      { span: (id) => `worker:enrich_one[company_id=${id}]`, key: "company_id", label: "company" },
      async (id, span): Promise<EnrichedCompany> => {
        const company = byId.get(id)!;
        const counter: RetryCounter = { retries: 0 };
        try {
          const page = await callTool(ctx.tools, "fetch_company_page", { domain: company.domain }, counter);
          const enrichment = await askJson(ctx, systemAndUser(ENRICH_SYSTEM, enrichUser(company, page)), EnrichReply, { step: "enrichment reply" });
          const args: Record<string, unknown> = { company_id: id, summary: enrichment.summary, hooks: enrichment.hooks };
          if (enrichment.industry !== undefined) args.industry = enrichment.industry;
          await callTool(ctx.tools, "save_enrichment", args, counter);
          span.set({ hooks_count: enrichment.hooks.length });
          return { company, enrichment };
        } finally {
          span.set({ retries: counter.retries });
        }
      },
    );
    return { processed: companies.length, created: done.length, errors, value: done.map((d) => d.result) };
  });
}
