import { z } from "zod";
import { FANOUT } from "./prompts.ts";
import { quoteReply, readModelJson } from "./model-json.ts";

export class DecomposeParseError extends Error {
  override readonly name = "DecomposeParseError";
  readonly raw: string;
  constructor(problem: string, raw: string) {
    super(`agentic_search decompose step: ${problem}; expected {"subqueries": [${FANOUT} strings]}; model said: ${quoteReply(raw)}`);
    this.raw = raw;
  }
}

const Subqueries = z.object({
  subqueries: z.array(z.string().trim().min(1, "a sub-question is empty")).length(FANOUT, `expected exactly ${FANOUT} sub-questions`),
});

/**
 * The fan-out width is fixed at three workers, so a plan of two or four sub-questions is an
 * error rather than something to pad or trim: silently changing the plan would hide the model's
 * mistake from the trace.
 */
export function parseSubqueries(raw: string): string[] {
  const read = readModelJson(raw);
  if (!read.ok) throw new DecomposeParseError(read.problem, raw);
  const parsed = Subqueries.safeParse(read.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new DecomposeParseError(`${where}${issue?.message ?? "unexpected shape"}`, raw);
  }
  return parsed.data.subqueries;
}
