import type { AgentContext } from "evalgate";
import { stripReasoning } from "./json-reply.ts";
import { askText, systemAndUser } from "./message-text.ts";

/**
 * The merge step of the plan → work → merge agents (agentic_search, research_agent): one call
 * that turns the findings of several tool loops into one plain-text report.
 */

export interface Finding {
  question: string;
  answer: string;
  exhausted: boolean;
}

export interface FindingNames {
  /** Heading of each finding's section: "Sub-question", "Task". */
  section: string;
  /** What produced a finding, for the no-answer note: "worker", "task". */
  unit: string;
  /** The loop's step limit, quoted when a unit ran out of steps. */
  maxSteps: number;
}

/**
 * The merge request: the opening line, one `## <section> n: <question>` per finding, then the
 * instruction. An empty answer says why it is empty, so the merge does not fill the gap.
 */
export function mergeRequest(opening: string, findings: readonly Finding[], names: FindingNames): string {
  const sections = findings.map((f, i) => {
    const body = f.answer.trim() !== ""
      ? f.answer.trim()
      : `(no answer: the ${names.unit} ${f.exhausted ? `ran out of its ${names.maxSteps} steps` : "returned an empty answer"})`;
    return `## ${names.section} ${i + 1}: ${f.question}\n${body}`;
  });
  return `${opening}\n\n${sections.join("\n\n")}\n\nWrite the merged report now.`;
}

/** The `synthesize` phase span: the model's report without its `<think>` block. */
export function synthesize(ctx: AgentContext, system: string, user: string, attributes: Record<string, number>): Promise<string> {
  return ctx.span("synthesize", "phase", attributes, async (span) => {
    const report = stripReasoning(await askText(ctx, systemAndUser(system, user)));
    span.set({ report_chars: report.length });
    return report;
  });
}
