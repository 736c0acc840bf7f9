import { z } from "zod";
import { defineAgent } from "evalgate";
import { runAgenticSearch } from "./graph.ts";
import { WORKER_MAX_STEPS } from "./prompts.ts";

/**
 * agentic_search: codebase search over the lead-gen repository. With `decompose` (the default)
 * one LLM call splits the query into three sub-questions, three glob → grep → read workers answer
 * them in parallel, and one LLM call merges their answers into a report with path:line citations.
 */
export default defineAgent({
  graph: "agentic_search",
  input: z.strictObject({
    query: z.string().trim().min(1, "query must not be empty"),
    decompose: z.boolean().optional(),
  }),
  maxSteps: WORKER_MAX_STEPS,
  run: runAgenticSearch,
});
