import type { QaResult } from "./phases/qa.ts";
import { PHASES, type DraftRecord, type PhaseName, type StageReport } from "./schema.ts";

/**
 * The run summary is the answer: plain lines with the figures a dataset checks
 * ("enrich: processed 3, created 2, errors 1"), each error on its own line under its phase,
 * then every composed draft in full, so phrase checks can read what would be sent.
 */
export function summarize(opts: {
  icp: string;
  stages: Record<PhaseName, StageReport>;
  qa: QaResult;
  decision: string;
  drafts: readonly DraftRecord[];
}): string {
  const lines = [`Pipeline run for ICP: ${opts.icp}`];
  for (const phase of PHASES) {
    const s = opts.stages[phase];
    let line = `${phase}: processed ${s.processed}, created ${s.created}, errors ${s.errors.length}`;
    if (phase === "qa") {
      const counts = opts.qa.row_counts;
      line += counts ? `; rows: companies ${counts.companies}, enrichments ${counts.enrichments}, contacts ${counts.contacts}` : "; rows: n/a";
      line += opts.qa.pass_rate === null ? "; critic pass rate n/a" : `; critic pass rate ${opts.qa.pass_rate.toFixed(2)} over ${opts.qa.sample_size} rows`;
    }
    if (phase === "outreach") line += `; human gate: ${opts.decision}`;
    lines.push(line);
    for (const error of s.errors) lines.push(`  - ${error}`);
  }
  const saved = opts.drafts.filter((d) => d.draft_id !== null).length;
  lines.push(`drafts created: ${saved}`);
  for (const d of opts.drafts) {
    lines.push("", `--- draft for ${d.to} (${d.company}, contact ${d.contact_id})${d.draft_id === null ? " [not saved]" : ` [draft ${d.draft_id}]`}`, d.subject, "", d.body);
  }
  return lines.join("\n");
}
