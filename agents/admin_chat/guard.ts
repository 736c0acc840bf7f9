import { KNOWN_TABLES } from "./prompt.ts";

/**
 * Checks a tool call before it reaches the database (the tool loop's `beforeDispatch`). A model
 * that invents a table ("users") or asks query_db to write gets the reason back as a tool error
 * and can correct itself; the call is never dispatched, so a hallucinated argument cannot cost a
 * round-trip or a row.
 *
 * Returns the reason to refuse, or null when the call may go through.
 */
export function rejectReason(tool: string, args: Record<string, unknown>): string | null {
  if (tool === "count_rows" || tool === "inspect_schema") {
    const table = args.table;
    if (typeof table !== "string" || table.length === 0) {
      return `${tool} needs {"table": "<name>"}; known tables: ${KNOWN_TABLES.join(", ")}`;
    }
    if (!KNOWN_TABLES.includes(table)) {
      return `unknown table "${table}"; known tables: ${KNOWN_TABLES.join(", ")}`;
    }
    return null;
  }
  if (tool === "query_db") {
    const sql = args.sql;
    if (typeof sql !== "string" || sql.trim().length === 0) return `query_db needs {"sql": "<SELECT ...>"}`;
    if (!/^\s*(select|with)\b/i.test(sql)) return "query_db runs read-only SELECT statements only";
    // The database runs the query in a read-only transaction anyway; this catches the obvious
    // cases early with a message the model can act on. Table names are left to the database,
    // whose "relation does not exist" error is the schema-drift signal we want to see.
    if (/\b(insert|update|delete|drop|alter|truncate|create|grant|revoke)\b/i.test(sql)) {
      return "query_db runs read-only SELECT statements only; the query contains a write keyword";
    }
    if (/;\s*\S/.test(sql)) return "query_db runs one statement at a time";
    return null;
  }
  // Unknown tool names are the loop's job: it already answers them with the list of tools.
  return null;
}

