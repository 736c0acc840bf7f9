import type { AgentContext } from "../../../core/agent.ts";
import { askJson } from "../../shared/json-reply.ts";
import { systemAndUser } from "../../shared/message-text.ts";
import { CRITIC_SYSTEM, criticUser } from "../prompts.ts";
import { CriticReply, RowCounts, type CompanyRow, type EnrichedCompany } from "../schema.ts";
import { runPhase } from "../stage.ts";
import { callTool, readToolJson, softFailure } from "../tool-call.ts";

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
      try {
        rowCounts = readToolJson("row_counts", await callTool(ctx.tools, "row_counts", { company_ids: companies.map((c) => c.id) }), RowCounts);
      } catch (error) {
        const message = softFailure(error);
        if (message === null) throw error;
        errors.push(`row_counts: ${message}`);
      }
    }

    const sample = enriched.slice(0, CRITIC_SAMPLE_SIZE);
    let result: QaResult = { row_counts: rowCounts, sample_size: 0, pass_rate: null, comments: [] };
    if (sample.length > 0) {
      try {
        const value = await askJson(ctx, systemAndUser(CRITIC_SYSTEM, criticUser(sample)), CriticReply, { step: "critic reply" });
        result = { row_counts: rowCounts, sample_size: sample.length, pass_rate: value.pass_rate, comments: value.comments };
      } catch (error) {
        const message = softFailure(error);
        if (message === null) throw error;
        errors.push(`critic short-circuited to an empty sample: ${message}`);
      }
    }
    span.set({
      row_count: rowCounts?.companies ?? 0,
      sample_size: result.sample_size,
      critic_pass_rate: result.pass_rate,
    });
    return { processed: result.sample_size, created: 0, errors, value: result };
  });
}
