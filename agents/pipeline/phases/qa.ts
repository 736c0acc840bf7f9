import type { AgentContext } from "evalgate";
import { askJson } from "../../shared/json-reply.ts";
import { systemAndUser } from "../../shared/message-text.ts";
import { readToolJson } from "../../shared/tool-result.ts";
import { CRITIC_SYSTEM, criticUser } from "../prompts.ts";
import { CriticReply, RowCounts, type CompanyRow, type EnrichedCompany } from "../schema.ts";
import { runPhase } from "../stage.ts";
import { callTool, softly } from "../tool-call.ts";

export const CRITIC_SAMPLE_SIZE = 3;

export interface QaResult {
  row_counts: RowCounts | null;
  sample_size: number;
  /** null when the critic did not run (nothing to audit) or short-circuited. */
  pass_rate: number | null;
  comments: string[];
}

/**
 * qa: deterministic row counts, then an LLM critic over a sample of the new enrichment rows.
 * A critic failure short-circuits to an empty sample; the counts stand either way.
 */
export function runQa(ctx: AgentContext, companies: readonly CompanyRow[], enriched: readonly EnrichedCompany[]) {
  return runPhase(ctx, "qa", {}, async (span) => {
    const errors: string[] = [];
    let rowCounts: RowCounts | null = null;
    if (companies.length > 0) {
      rowCounts = await softly(errors, "row_counts", async () =>
        readToolJson("row_counts", await callTool(ctx.tools, "row_counts", { company_ids: companies.map((c) => c.id) }), RowCounts)) ?? null;
    }

    const sample = enriched.slice(0, CRITIC_SAMPLE_SIZE);
    let result: QaResult = { row_counts: rowCounts, sample_size: 0, pass_rate: null, comments: [] };
    if (sample.length > 0) {
      const critic = await softly(errors, "critic short-circuited to an empty sample", () =>
        askJson(ctx, systemAndUser(CRITIC_SYSTEM, criticUser(sample)), CriticReply, { step: "critic reply" }));
      if (critic) result = { row_counts: rowCounts, sample_size: sample.length, pass_rate: critic.pass_rate, comments: critic.comments };
    }
    span.set({
      row_count: rowCounts?.companies ?? 0,
      sample_size: result.sample_size,
      critic_pass_rate: result.pass_rate,
    });
    return { processed: result.sample_size, created: 0, errors, value: result };
  });
}
