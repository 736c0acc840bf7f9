import type { AgentContext } from "evalgate";
import { askJson } from "../../shared/json-reply.ts";
import { systemAndUser } from "../../shared/message-text.ts";
import { readToolJson } from "../../shared/tool-result.ts";
import { DISCOVER_SYSTEM, discoverUser } from "../prompts.ts";
import { CompanyRows, DiscoverReply, type CompanyRow, type PipelineInput } from "../schema.ts";
import { runPhase } from "../stage.ts";
import { callTool, softly } from "../tool-call.ts";

/**
 * discover: seed domains from the operator, or a brainstorm call, inserted as company rows.
 * Soft-fails to no companies, with the reason in errors[], so later phases still report.
 */
export function runDiscover(ctx: AgentContext, input: PipelineInput) {
  return runPhase(ctx, "discover", { icp_summary: input.icp.slice(0, 120), source: input.domains ? "operator" : "llm" }, async (span) => {
    const errors: string[] = [];
    let domains: string[] = input.domains ?? [];
    if (!input.domains) {
      const reply = await softly(errors, "discover", () =>
        askJson(ctx, systemAndUser(DISCOVER_SYSTEM, discoverUser(input.icp, input.max_companies)), DiscoverReply, { step: "discovery reply" }));
      domains = reply?.domains ?? [];
    }
    domains = [...new Set(domains.map((d) => d.trim().toLowerCase()))].slice(0, input.max_companies);

    let companies: CompanyRow[] = [];
    if (domains.length > 0) {
      companies = await softly(errors, "discover", async () =>
        readToolJson("insert_companies", await callTool(ctx.tools, "insert_companies", { domains }), CompanyRows)) ?? [];
    }
    span.set({ discovered_count: companies.length });
    return { processed: domains.length, created: companies.length, errors, value: companies };
  });
}
