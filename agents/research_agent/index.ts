import { z } from "zod";
import { defineAgent } from "evalgate";
import { runResearch } from "./graph.ts";
import { TASK_MAX_STEPS } from "./prompts.ts";

/**
 * research_agent: literature research over Semantic Scholar for the lead-gen team. A plan call
 * splits the brief into tasks; each task runs its own search_papers / get_paper_detail loop under
 * the house style (≥3 distinct searches, details on 3-4 papers, 2020+ weighted, honest confidence);
 * a synthesis call merges the task answers into one report.
 */
export default defineAgent({
  graph: "research_agent",
  input: z.strictObject({ brief: z.string().trim().min(1, "brief must not be empty") }),
  maxSteps: TASK_MAX_STEPS,
  run: runResearch,
});
