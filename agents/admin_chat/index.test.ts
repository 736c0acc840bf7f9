import { describe, expect, it } from "vitest";
import { fakeContext } from "../shared/testing/fake-context.ts";
import agent from "./index.ts";
import { MAX_STEPS } from "./prompt.ts";

/** The user turn of the model's `call`-th request (0-based): where observations and errors land. */
function lastUserTurn(prompts: string[][], call: number): string {
  const texts = prompts[call];
  if (texts === undefined) throw new Error(`the model was not called ${call + 1} times`);
  return texts.at(-1)!;
}

const COMPANIES_SCHEMA = "id: int\nname: text\nslug: text";

describe("admin_chat agent", () => {
  it("answers from the tools it called and reports steps and observations", async () => {
    const h = fakeContext({
      replies: [
        '{"tool": "inspect_schema", "args": {"table": "companies"}}',
        '{"tool": "count_rows", "args": {"table": "companies"}}',
        '{"answer": "There are 2607 companies in the database."}',
      ],
      tools: [
        { tool: "inspect_schema", args: { table: "companies" }, result: COMPANIES_SCHEMA },
        { tool: "count_rows", args: { table: "companies" }, result: "companies: 2607 rows" },
      ],
    });
    const out = await agent.run({ question: "how many companies are in the database?" }, h.ctx);

    expect(out.answer).toBe("There are 2607 companies in the database.");
    expect(out.data).toEqual({
      steps: 3,
      tools: [
        { tool: "inspect_schema", args: { table: "companies" }, result: COMPANIES_SCHEMA },
        { tool: "count_rows", args: { table: "companies" }, result: "companies: 2607 rows" },
      ],
    });
    expect(h.toolCalls.map((d) => d.tool)).toEqual(["inspect_schema", "count_rows"]);
    // The first request is the system prompt plus the user turn in the documented shape.
    const first = h.prompts[0]!;
    expect(first[0]).toContain("count_rows");
    expect(first[0]).toContain("Never invent");
    expect(first[1]).toBe("User question: how many companies are in the database?");
    expect(lastUserTurn(h.prompts, 2)).toContain("companies: 2607 rows");
  });

  it("feeds a tool error back and lets the model recover", async () => {
    const h = fakeContext({
      replies: [
        '{"tool": "query_db", "args": {"sql": "SELECT count(*) FROM nonexistent"}}',
        '{"tool": "count_rows", "args": {"table": "companies"}}',
        '{"answer": "The query failed (relation \\"nonexistent\\" does not exist); companies has 2607 rows."}',
      ],
      tools: [
        { tool: "query_db", args: { sql: "SELECT count(*) FROM nonexistent" }, error: 'Error: relation "nonexistent" does not exist' },
        { tool: "count_rows", args: { table: "companies" }, result: "companies: 2607 rows" },
      ],
    });
    const out = await agent.run({ question: "count nonexistent" }, h.ctx);

    expect(lastUserTurn(h.prompts, 1)).toContain('relation "nonexistent" does not exist');
    expect(out.answer).toContain("2607");
    expect(out.data?.steps).toBe(3);
    expect((out.data?.tools as { error?: string }[])[0]?.error).toBe('Error: relation "nonexistent" does not exist');
  });

  it("refuses a table outside the schema without dispatching it", async () => {
    const h = fakeContext({
      replies: [
        '{"tool": "count_rows", "args": {"table": "users"}}',
        '{"tool": "count_rows", "args": {"table": "contacts"}}',
        '{"answer": "There are 9140 contacts."}',
      ],
      tools: [{ tool: "count_rows", args: { table: "contacts" }, result: "contacts: 9140 rows" }],
    });
    const out = await agent.run({ question: "how many users do we have?" }, h.ctx);

    expect(h.toolCalls).toEqual([{ tool: "count_rows", args: { table: "contacts" } }]);
    expect(lastUserTurn(h.prompts, 1)).toContain('unknown table "users"');
    expect(lastUserTurn(h.prompts, 1)).toContain("companies, contacts, email_drafts, product_intel_runs");
    expect(h.spans.map((s) => s.name)).toEqual(["guard:count_rows"]);
    expect(h.spans[0]).toMatchObject({ kind: "chain", status: "error", attributes: { tool: "count_rows", args: { table: "users" } } });
    expect(h.spans[0]!.attributes.rejected).toMatch(/^unknown table "users"/);
    expect((out.data?.tools as { error?: string }[])[0]?.error).toMatch(/unknown table "users"/);
    expect(out.answer).toBe("There are 9140 contacts.");
  });

  it("refuses a writing query without dispatching it", async () => {
    const h = fakeContext({
      replies: [
        '{"tool": "query_db", "args": {"sql": "DELETE FROM email_drafts WHERE status = \'draft\'"}}',
        '{"answer": "I can only run read-only queries, so I did not delete anything."}',
      ],
    });
    const out = await agent.run({ question: "delete all drafts" }, h.ctx);

    expect(h.toolCalls).toEqual([]);
    expect(h.spans.map((s) => s.name)).toEqual(["guard:query_db"]);
    expect(lastUserTurn(h.prompts, 1)).toContain("Error from query_db: query_db runs read-only SELECT");
    expect(out.data?.steps).toBe(2);
  });

  it("gives up with a clear answer after the step limit", async () => {
    const h = fakeContext({
      replies: Array.from({ length: MAX_STEPS }, () => '{"tool": "count_rows", "args": {"table": "companies"}}'),
      tools: [{ tool: "count_rows", args: { table: "companies" }, result: "companies: 2607 rows" }],
    });
    const out = await agent.run({ question: "keep counting" }, h.ctx);

    expect(out.answer).toBe(`I could not answer within ${MAX_STEPS} steps.`);
    expect(out.data?.exhausted).toBe(true);
    expect(out.data?.steps).toBe(MAX_STEPS);
    expect(h.prompts).toHaveLength(MAX_STEPS);
    expect(h.root["evalgate.answer"]).toBe(out.answer);
  });

  it("answers garbage output with a correction turn, then accepts a fenced reply", async () => {
    const h = fakeContext({
      replies: [
        "Sure! Let me look that up for you.",
        '<think>I should answer in JSON.</think>\n```json\n{"answer": "I have not run any query yet, so I cannot give a number."}\n```',
      ],
    });
    const out = await agent.run({ question: "how many drafts?" }, h.ctx);

    expect(lastUserTurn(h.prompts, 1)).toMatch(/not valid.*JSON object/);
    expect(out.answer).toBe("I have not run any query yet, so I cannot give a number.");
    expect(out.data?.steps).toBe(2);
    expect(h.unusedReplies()).toEqual([]);
  });

  it("rejects inputs with unknown keys so a dataset typo is caught at load", () => {
    expect(agent.input.safeParse({ question: "x" }).success).toBe(true);
    expect(agent.input.safeParse({ question: "x", table: "companies" }).success).toBe(false);
    expect(agent.input.safeParse({}).success).toBe(false);
  });
});
