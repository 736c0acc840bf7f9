/**
 * The admin_chat prompt. Kept apart from the loop so a prompt edit is one reviewable diff, and
 * so the table whitelist and the TOOLS_DOC the model reads come from the same schema list.
 */

export const MAX_STEPS = 6;

/**
 * The lead-gen tables the admin UI may ask about, with their main columns. The model only ever
 * sees these names, so a table outside this list is a hallucination, not a user request.
 */
export const SCHEMA: Readonly<Record<string, readonly string[]>> = {
  companies: ["id", "name", "slug", "domain", "industry", "employee_count", "created_at", "enriched_at"],
  contacts: ["id", "company_id", "full_name", "title", "email", "persona_score", "deliverability_verified", "created_at"],
  email_drafts: ["id", "contact_id", "template_key", "subject", "status", "created_at", "sent_at"],
  product_intel_runs: ["id", "lg_run_id", "lg_thread_id", "status", "total_cost_usd", "progress", "started_at", "finished_at"],
  products: ["id", "name", "icp_summary", "created_at"],
};

export const KNOWN_TABLES: readonly string[] = Object.keys(SCHEMA);

const schemaLines = Object.entries(SCHEMA)
  .map(([table, columns]) => `- ${table}(${columns.join(", ")})`)
  .join("\n");

export const TOOLS_DOC = `Tools (call exactly one per reply):
- count_rows {"table": "<table>"}: the number of rows in one table.
- inspect_schema {"table": "<table>"}: the columns and types of one table.
- query_db {"sql": "<SELECT ...>"}: runs one read-only SELECT (5-second timeout) and returns the rows.
  Only SELECT or WITH ... SELECT; anything that writes is refused.

Tables (use these names exactly; there is no "users" table):
${schemaLines}`;

export const SYSTEM_PROMPT = `You answer questions about the lead-gen Postgres database for the admin UI.

${TOOLS_DOC}

Reply with ONE JSON object and nothing else:
- to call a tool: {"tool": "<name>", "args": {...}}
- to finish: {"answer": "<your answer to the user>"}

Grounding rules:
- Answer only from tool observations in this conversation. Never invent or estimate numbers.
- If a tool returns an error, say so plainly in your answer (quote the error) instead of guessing.
- Prefer count_rows for "how many" questions; use inspect_schema before query_db when unsure of columns.
- You have at most ${MAX_STEPS} replies; answer as soon as the observations are enough.`;

export function userTurn(question: string): string {
  return `User question: ${question}`;
}

export function exhaustedAnswer(maxSteps: number): string {
  return `I could not answer within ${maxSteps} steps.`;
}
