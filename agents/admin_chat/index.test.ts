import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatOpenAI } from "@langchain/openai";
import { describe, expect, it } from "vitest";
import { ToolError, type AgentContext } from "../../core/agent.ts";
import { messageText } from "../shared/message-text.ts";
import agent from "./index.ts";
import { MAX_STEPS } from "./prompt.ts";

/** A hand-built context: scripted model replies, canned tool results, spans and root attrs captured. */
function harness(replies: string[], toolTable: Record<string, string | { error: string }> = {}) {
  const prompts: BaseMessage[][] = [];
  const dispatched: { tool: string; args: Record<string, unknown> }[] = [];
  const spans: { name: string; attributes: Record<string, unknown> }[] = [];
  const rootAttrs: Record<string, unknown> = {};
  const queue = [...replies];
  const llm = {
    async invoke(messages: BaseMessage[]) {
      prompts.push([...messages]);
      const next = queue.shift();
      if (next === undefined) throw new Error(`the model was asked a question with no scripted reply (call ${prompts.length})`);
      return new AIMessage(next);
    },
  } as unknown as ChatOpenAI;
  const ctx: AgentContext = {
    llm,
    tools: {
      async call(tool, args) {
        dispatched.push({ tool, args });
        const outcome = toolTable[`${tool} ${JSON.stringify(args)}`];
        if (outcome === undefined) throw new Error(`test dispatcher has no result for ${tool} ${JSON.stringify(args)}`);
        if (typeof outcome === "object") throw new ToolError(tool, outcome.error);
        return outcome;
      },
    },
    async span(name, _kind, attributes, fn) {
      spans.push({ name, attributes });
      return fn({ set: () => {} });
    },
    root: { set: (attrs) => Object.assign(rootAttrs, attrs) },
    signal: new AbortController().signal,
    example: { id: "unit", graph: "admin_chat", version: 1 },
  };
  const lastUserTurn = (call: number) => {
    const msgs = prompts[call];
    if (msgs === undefined) throw new Error(`the model was not called ${call + 1} times`);
    return messageText(msgs[msgs.length - 1]!);
  };
  return { ctx, prompts, dispatched, spans, rootAttrs, lastUserTurn, remaining: () => queue.length };
}

const COMPANIES_SCHEMA = "id: int\nname: text\nslug: text";

describe("admin_chat agent", () => {
  it("answers from the tools it called and reports steps and observations", async () => {
    const h = harness(
      [
        '{"tool": "inspect_schema", "args": {"table": "companies"}}',
        '{"tool": "count_rows", "args": {"table": "companies"}}',
        '{"answer": "There are 2607 companies in the database."}',
      ],
      {
        'inspect_schema {"table":"companies"}': COMPANIES_SCHEMA,
        'count_rows {"table":"companies"}': "companies: 2607 rows",
      },
    );
    const out = await agent.run({ question: "how many companies are in the database?" }, h.ctx);

    expect(out.answer).toBe("There are 2607 companies in the database.");
    expect(out.data).toEqual({
      steps: 3,
      tools: [
        { tool: "inspect_schema", args: { table: "companies" }, result: COMPANIES_SCHEMA },
        { tool: "count_rows", args: { table: "companies" }, result: "companies: 2607 rows" },
      ],
    });
    expect(h.dispatched.map((d) => d.tool)).toEqual(["inspect_schema", "count_rows"]);
    // The first request is the system prompt plus the user turn in the documented shape.
    const first = h.prompts[0]!;
    expect(messageText(first[0]!)).toContain("count_rows");
    expect(messageText(first[0]!)).toContain("Never invent");
    expect(messageText(first[1]!)).toBe("User question: how many companies are in the database?");
    expect(h.lastUserTurn(2)).toContain("companies: 2607 rows");
  });

  it("feeds a tool error back and lets the model recover", async () => {
    const h = harness(
      [
        '{"tool": "query_db", "args": {"sql": "SELECT count(*) FROM nonexistent"}}',
        '{"tool": "count_rows", "args": {"table": "companies"}}',
        '{"answer": "The query failed (relation \\"nonexistent\\" does not exist); companies has 2607 rows."}',
      ],
      {
        'query_db {"sql":"SELECT count(*) FROM nonexistent"}': { error: 'Error: relation "nonexistent" does not exist' },
        'count_rows {"table":"companies"}': "companies: 2607 rows",
      },
    );
    const out = await agent.run({ question: "count nonexistent" }, h.ctx);

    expect(h.lastUserTurn(1)).toContain('relation "nonexistent" does not exist');
    expect(out.answer).toContain("2607");
    expect(out.data?.steps).toBe(3);
    expect((out.data?.tools as { error?: string }[])[0]?.error).toBe('Error: relation "nonexistent" does not exist');
  });

  it("refuses a table outside the schema without dispatching it", async () => {
    const h = harness(
      [
        '{"tool": "count_rows", "args": {"table": "users"}}',
        '{"tool": "count_rows", "args": {"table": "contacts"}}',
        '{"answer": "There are 9140 contacts."}',
      ],
      { 'count_rows {"table":"contacts"}': "contacts: 9140 rows" },
    );
    const out = await agent.run({ question: "how many users do we have?" }, h.ctx);

    expect(h.dispatched).toEqual([{ tool: "count_rows", args: { table: "contacts" } }]);
    expect(h.lastUserTurn(1)).toContain('unknown table "users"');
    expect(h.lastUserTurn(1)).toContain("companies, contacts, email_drafts, product_intel_runs");
    expect(h.spans.map((s) => s.name)).toEqual(["guard:count_rows"]);
    expect((out.data?.tools as { error?: string }[])[0]?.error).toMatch(/unknown table "users"/);
    expect(out.answer).toBe("There are 9140 contacts.");
  });

  it("refuses a writing query without dispatching it", async () => {
    const h = harness([
      '{"tool": "query_db", "args": {"sql": "DELETE FROM email_drafts WHERE status = \'draft\'"}}',
      '{"answer": "I can only run read-only queries, so I did not delete anything."}',
    ]);
    const out = await agent.run({ question: "delete all drafts" }, h.ctx);

    expect(h.dispatched).toEqual([]);
    expect(h.lastUserTurn(1)).toContain("read-only SELECT");
    expect(out.data?.steps).toBe(2);
  });

  it("gives up with a clear answer after the step limit", async () => {
    const h = harness(
      Array.from({ length: MAX_STEPS }, () => '{"tool": "count_rows", "args": {"table": "companies"}}'),
      { 'count_rows {"table":"companies"}': "companies: 2607 rows" },
    );
    const out = await agent.run({ question: "keep counting" }, h.ctx);

    expect(out.answer).toBe(`I could not answer within ${MAX_STEPS} steps.`);
    expect(out.data?.exhausted).toBe(true);
    expect(out.data?.steps).toBe(MAX_STEPS);
    expect(h.prompts).toHaveLength(MAX_STEPS);
    expect(h.rootAttrs["evalgate.answer"]).toBe(out.answer);
  });

  it("answers garbage output with a correction turn, then accepts a fenced reply", async () => {
    const h = harness([
      "Sure! Let me look that up for you.",
      '<think>I should answer in JSON.</think>\n```json\n{"answer": "I have not run any query yet, so I cannot give a number."}\n```',
    ]);
    const out = await agent.run({ question: "how many drafts?" }, h.ctx);

    expect(h.lastUserTurn(1)).toMatch(/not valid.*JSON object/);
    expect(out.answer).toBe("I have not run any query yet, so I cannot give a number.");
    expect(out.data?.steps).toBe(2);
    expect(h.remaining()).toBe(0);
  });

  it("rejects inputs with unknown keys so a dataset typo is caught at load", () => {
    expect(agent.input.safeParse({ question: "x" }).success).toBe(true);
    expect(agent.input.safeParse({ question: "x", table: "companies" }).success).toBe(false);
    expect(agent.input.safeParse({}).success).toBe(false);
  });
});
