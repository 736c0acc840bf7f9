import { describe, expect, it } from "vitest";
import { UnexpectedToolCall } from "evalgate";
import { fakeContext, type ScriptedReply, type ToolAnswer, type ToolScript } from "../shared/testing/fake-context.ts";
import agent from "./index.ts";
import { PHASES, PipelineInput, type PhaseName, type StageReport } from "./schema.ts";

const COMPANIES = [
  { id: 42, name: "Acme Robotics", domain: "acme-robotics.io" },
  { id: 43, name: "Borealis Freight", domain: "borealis-freight.com" },
  { id: 44, name: "Cobalt Cold Chain", domain: "cobaltcold.com" },
];
const FIRST_NAMES: Record<number, string> = { 42: "Maya", 43: "Omar", 44: "Ines" };

function enrichReply(id: number): ScriptedReply {
  return { when: `enrich_one company_id=${id}`, reply: JSON.stringify({ summary: `Company ${id} summary.`, industry: "logistics", hooks: [`hook for ${id}`] }) };
}
function personaReply(id: number): ScriptedReply {
  return { when: `contact_one company_id=${id}`, reply: JSON.stringify({ personas: [{ contact_id: id * 10, score: 0.8, pains: ["throughput"] }] }) };
}
function draftReply(id: number): ScriptedReply {
  const company = COMPANIES.find((c) => c.id === id)!;
  return { when: `compose_email contact_id=${id * 10}`, reply: JSON.stringify({ subject: `${company.name}: ${`hook for ${id}`}`, body: `Hi ${FIRST_NAMES[id]},\nSaw the hook for ${id}.\nJordan` }) };
}
const critic: ScriptedReply = { when: "task: qa_critic", reply: '{"pass_rate": 0.67, "comments": ["company 44 hooks are generic"]}' };

function tools(overrides: Partial<Record<string, (args: Record<string, unknown>) => ToolAnswer | ToolAnswer[]>> = {}): ToolScript {
  const base: ToolScript = {
    insert_companies: (args) => JSON.stringify(COMPANIES.filter((c) => (args.domains as string[]).includes(c.domain))),
    fetch_company_page: (args) => `Homepage of ${String(args.domain)}`,
    save_enrichment: () => "ok",
    discover_contacts: (args) => {
      const id = args.company_id as number;
      return JSON.stringify([{ id: id * 10, first_name: FIRST_NAMES[id], last_name: "Doe", title: "VP Operations", email: `ops${id}@example.com` }]);
    },
    row_counts: (args) => JSON.stringify({ companies: (args.company_ids as number[]).length, enrichments: 3, contacts: 3 }),
    select_outreach_queue: (args) => JSON.stringify({ contact_ids: args.contact_ids }),
    create_draft: (args) => JSON.stringify({ draft_id: 9000 + (args.contact_id as number) }),
  };
  return { ...base, ...overrides } as ToolScript;
}

function allReplies(ids: number[], { drafts = true } = {}): ScriptedReply[] {
  return [...ids.map(enrichReply), ...ids.map(personaReply), critic, ...(drafts ? ids.map(draftReply) : [])];
}

const input = (over: Record<string, unknown> = {}) =>
  PipelineInput.parse({ icp: "mid-size logistics companies", domains: COMPANIES.map((c) => c.domain), auto_confirm: true, ...over });

function stages(data: Record<string, unknown> | undefined): Record<PhaseName, StageReport> {
  return data?.stages as Record<PhaseName, StageReport>;
}

describe("pipeline phases and fan-out", () => {
  it("runs the five phases in order and fans out one worker span per company in enrich and contacts", async () => {
    const run = fakeContext({ replies: allReplies([42, 43, 44]), tools: tools() });
    const out = await agent.run(input(), run.ctx);

    expect(run.spans.filter((s) => s.kind === "phase").map((s) => s.name)).toEqual(["phase:discover", "phase:enrich", "phase:contacts", "phase:qa", "phase:outreach"]);
    const enrichWorkers = run.spans.filter((s) => s.name.startsWith("worker:enrich_one"));
    expect(enrichWorkers.map((s) => s.name)).toEqual(["worker:enrich_one[company_id=42]", "worker:enrich_one[company_id=43]", "worker:enrich_one[company_id=44]"]);
    expect(enrichWorkers.map((s) => s.attributes.company_id)).toEqual([42, 43, 44]);
    expect(run.spans.filter((s) => s.name.startsWith("worker:contact_one"))).toHaveLength(3);
    expect(run.spans.filter((s) => s.name.startsWith("worker:outreach_run"))).toHaveLength(3);
    expect(stages(out.data).enrich).toMatchObject({ processed: 3, created: 3, errors: [] });
    expect(stages(out.data).outreach).toMatchObject({ processed: 3, created: 3 });
    expect(out.answer).toContain("critic pass rate 0.67 over 3 rows");
    expect(out.answer).toContain("drafts created: 3");
    expect(run.unusedReplies()).toEqual([]);
  });

  it("starts every enrich worker before any of them finishes (parallel, not sequential)", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const run = fakeContext({
      replies: allReplies([42, 43, 44]),
      tools: tools(),
    });
    const original = run.ctx.span.bind(run.ctx);
    (run.ctx as { span: typeof run.ctx.span }).span = async (name, kind, attrs, fn) => {
      if (!name.startsWith("worker:enrich_one")) return original(name, kind, attrs, fn);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await original(name, kind, attrs, fn);
      } finally {
        inFlight--;
      }
    };
    await agent.run(input(), run.ctx);
    expect(maxInFlight).toBe(3);
  });

  it("puts the StageReport on each phase span", async () => {
    const run = fakeContext({ replies: allReplies([42, 43, 44]), tools: tools() });
    await agent.run(input(), run.ctx);
    const enrich = run.spans.find((s) => s.name === "phase:enrich")!;
    expect(enrich.attributes).toMatchObject({ processed: 3, created: 3, errors: [] });
    expect(typeof enrich.attributes.duration_ms).toBe("number");
  });
});

describe("pipeline soft failures", () => {
  it("a worker's tool error lands in errors[] keyed by company id; the other companies complete", async () => {
    const run = fakeContext({
      replies: allReplies([42, 44]),
      tools: tools({ fetch_company_page: (args) => (args.domain === "borealis-freight.com" ? { error: "403 Forbidden (bot protection)" } : "page") }),
    });
    const out = await agent.run(input(), run.ctx);

    expect(stages(out.data).enrich).toMatchObject({ processed: 3, created: 2, errors: ["company 43: fetch_company_page failed: 403 Forbidden (bot protection)"] });
    expect(run.spans.find((s) => s.name === "worker:enrich_one[company_id=43]")?.status).toBe("error");
    expect(run.toolCalls.filter((c) => c.tool === "save_enrichment").map((c) => c.args.company_id)).toEqual([42, 44]);
    expect(stages(out.data).contacts).toMatchObject({ processed: 2, created: 2, errors: [] });
    expect(stages(out.data).outreach.created).toBe(2);
    expect(out.answer).toContain("enrich: processed 3, created 2, errors 1");
    expect(out.answer).toContain("  - company 43: fetch_company_page failed: 403 Forbidden");
  });

  it("an unparsable enrichment reply is a soft failure too", async () => {
    const replies = allReplies([42, 44]);
    replies.unshift({ when: "enrich_one company_id=43", reply: "I could not find anything useful." });
    const run = fakeContext({ replies, tools: tools() });
    const out = await agent.run(input(), run.ctx);
    expect(stages(out.data).enrich.errors).toEqual([expect.stringMatching(/^company 43: enrichment reply: no JSON object/)]);
  });

  it("retries a rate-limited tool once and reports the retry on the worker span", async () => {
    const run = fakeContext({
      replies: allReplies([42, 43, 44]),
      tools: tools({
        discover_contacts: (args) => {
          const id = args.company_id as number;
          const rows = JSON.stringify([{ id: id * 10, first_name: FIRST_NAMES[id], last_name: "Doe", title: "VP Ops", email: `ops${id}@example.com` }]);
          return id === 43 ? [{ error: "429 rate limited, retry after 1s" }, rows] : rows;
        },
      }),
    });
    const out = await agent.run(input(), run.ctx);
    expect(run.spans.find((s) => s.name === "worker:contact_one[company_id=43]")?.attributes.retries).toBe(1);
    expect(run.spans.find((s) => s.name === "worker:contact_one[company_id=42]")?.attributes.retries).toBe(0);
    expect(stages(out.data).contacts).toMatchObject({ created: 3, errors: [] });
  });

  it("never swallows an unrecorded tool call as a soft failure", async () => {
    const strict = fakeContext({ replies: allReplies([42, 43, 44]), tools: Object.fromEntries(Object.entries(tools()).filter(([k]) => k !== "fetch_company_page")) });
    await expect(agent.run(input(), strict.ctx)).rejects.toBeInstanceOf(UnexpectedToolCall);
  });
});

describe("pipeline qa", () => {
  it("short-circuits the critic to an empty sample when its reply is unusable; counts and outreach still run", async () => {
    const replies = allReplies([42, 43, 44]).filter((r) => r !== critic);
    replies.push({ when: "task: qa_critic", reply: '{"pass_rate": "mostly fine"}' });
    const run = fakeContext({ replies, tools: tools() });
    const out = await agent.run(input(), run.ctx);

    const qa = run.spans.find((s) => s.name === "phase:qa")!;
    expect(qa.attributes).toMatchObject({ sample_size: 0, critic_pass_rate: null, row_count: 3 });
    expect(stages(out.data).qa.errors).toEqual([expect.stringMatching(/^critic short-circuited to an empty sample: critic reply: unexpected shape/)]);
    expect(out.answer).toContain("critic pass rate n/a");
    expect(out.answer).toContain("rows: companies 3, enrichments 3, contacts 3");
    expect(stages(out.data).outreach.created).toBe(3);
  });
});

describe("pipeline outreach", () => {
  it("human gate skip: records the decision and creates no drafts", async () => {
    const run = fakeContext({ replies: allReplies([42, 43, 44], { drafts: false }), tools: tools() });
    const out = await agent.run(input({ auto_confirm: false, human_decision: "skip" }), run.ctx);

    expect(run.spans.find((s) => s.name === "checkpoint:human_gate")?.attributes).toMatchObject({ decision: "skip", queued: 3 });
    expect(run.toolCalls.map((c) => c.tool)).not.toContain("create_draft");
    expect(run.prompts.some((p) => p.join("\n").includes("compose_email"))).toBe(false);
    expect(out.answer).toContain("outreach: processed 3, created 0, errors 0; human gate: skip");
  });

  it("human gate approve: drafts are composed sequentially per contact and saved", async () => {
    const run = fakeContext({ replies: allReplies([42, 43, 44]), tools: tools() });
    const out = await agent.run(input({ auto_confirm: false, human_decision: "approve" }), run.ctx);
    expect(run.toolCalls.filter((c) => c.tool === "create_draft").map((c) => c.args.contact_id)).toEqual([420, 430, 440]);
    expect(out.data?.drafts).toHaveLength(3);
    expect(out.answer).toContain("Hi Omar,");
  });

  it("falls back to the drafts history when last_outreach_at does not exist (schema drift)", async () => {
    const run = fakeContext({
      replies: allReplies([42, 43, 44]),
      tools: tools({
        select_outreach_queue: () => ({ error: "column c.last_outreach_at does not exist" }),
        select_outreach_queue_fallback: () => JSON.stringify({ contact_ids: [420, 440] }),
      }),
    });
    const out = await agent.run(input(), run.ctx);
    expect(run.spans.find((s) => s.name === "phase:outreach")?.attributes.db_fallback).toBe(true);
    expect(stages(out.data).outreach).toMatchObject({ processed: 2, created: 2 });
    expect(stages(out.data).outreach.errors).toEqual([expect.stringMatching(/^schema drift: column c.last_outreach_at does not exist/)]);
  });

  it("a draft the guardrails flag is kept in data but not saved", async () => {
    const replies = allReplies([42]).filter((r) => !r.when?.startsWith("compose_email"));
    const templated = JSON.stringify({ subject: "Acme Robotics", body: "Hi {first_name},\nJordan" });
    replies.push({ when: "compose_email contact_id=420", reply: templated }, { when: "compose_email contact_id=420", reply: templated });
    const run = fakeContext({ replies, tools: tools() });
    const out = await agent.run(input({ domains: ["acme-robotics.io"] }), run.ctx);
    expect(run.toolCalls.map((c) => c.tool)).not.toContain("create_draft");
    expect(stages(out.data).outreach.errors[0]).toMatch(/^contact 420: draft not saved, guardrails flagged unresolved placeholder \{first_name\}/);
  });
});

describe("pipeline discover", () => {
  it("empty discovery: no insert, nothing downstream, every phase still reports", async () => {
    const run = fakeContext({ replies: [{ when: "task: discover", reply: '{"domains": []}' }], tools: {} });
    const out = await agent.run(input({ domains: undefined }), run.ctx);
    expect(run.toolCalls).toEqual([]);
    for (const phase of PHASES) {
      expect(stages(out.data)[phase]).toMatchObject({ processed: 0, created: 0, errors: [] });
    }
    expect(out.answer).toContain("drafts created: 0");
  });

  it("the human_decision field is required exactly when auto_confirm is false", () => {
    expect(PipelineInput.safeParse({ icp: "x", auto_confirm: false }).success).toBe(false);
    expect(PipelineInput.safeParse({ icp: "x", auto_confirm: true, human_decision: "approve" }).success).toBe(false);
    expect(PipelineInput.safeParse({ icp: "x", auto_confirm: false, human_decision: "skip" }).success).toBe(true);
  });
});
