import { describe, expect, it } from "vitest";
import { UnexpectedToolCall } from "evalgate";
import { fakeContext, type ToolScript } from "../shared/testing/fake-context.ts";
import agent from "./index.ts";
import { EmailOutreachInput } from "./schema.ts";

const base = {
  contact: { id: 314, first_name: "Maya", last_name: "Chen", title: "VP Operations", email: "maya@acme-robotics.io" },
  company: { id: 42, name: "Acme Robotics", domain: "acme-robotics.io" },
  enrichment: { summary: "Warehouse picking robots.", hooks: ["opened an Austin plant in May"] },
  persona: { pains: ["manual pick rates"] },
  kind: "cold" as const,
};

const clean = JSON.stringify({ subject: "Acme Robotics' Austin plant", body: "Hi Maya,\nCongrats on the Austin plant.\nWorth a 15-minute call?\nJordan" });

function input(overrides: Record<string, unknown>) {
  return EmailOutreachInput.parse({ ...base, human_decision: "approve", ...overrides });
}

function saveTool(): ToolScript {
  return { create_draft: () => '{"draft_id": 981}' };
}

describe("email_outreach human gate", () => {
  it("approve: records the decision, then saves the draft through create_draft", async () => {
    const run = fakeContext({ replies: [{ reply: clean }], tools: saveTool() });
    const out = await agent.run(input({ human_decision: "approve" }), run.ctx);

    const gate = run.spans.find((s) => s.name === "checkpoint:human_gate");
    expect(gate?.kind).toBe("chain");
    expect(gate?.attributes.decision).toBe("approve");
    expect(run.toolCalls).toEqual([{ tool: "create_draft", args: { contact_id: 314, subject: "Acme Robotics' Austin plant", body: expect.stringContaining("Hi Maya") } }]);
    expect(out.data).toMatchObject({ sent: true, draft_id: "981", problems: [] });
    expect(out.answer.startsWith("Acme Robotics' Austin plant\n\nHi Maya,")).toBe(true);
  });

  it("skip: records the decision, dispatches nothing, and says so in the answer", async () => {
    const run = fakeContext({ replies: [{ reply: clean }], tools: saveTool() });
    const out = await agent.run(input({ human_decision: "skip" }), run.ctx);

    expect(run.spans.find((s) => s.name === "checkpoint:human_gate")?.attributes.decision).toBe("skip");
    expect(run.toolCalls).toEqual([]);
    expect(out.data?.sent).toBe(false);
    expect(out.answer).toMatch(/skipped at the human gate/);
    expect(out.answer).toContain("Congrats on the Austin plant");
  });
});

describe("email_outreach placeholder guardrail", () => {
  const templated = JSON.stringify({ subject: "Acme Robotics", body: "Hi {first_name},\nCongrats on the Austin plant.\n[Your Name]" });

  it("sends the model one correction naming the placeholder, and saves the fixed draft", async () => {
    const run = fakeContext({ replies: [{ reply: templated }, { reply: clean }], tools: saveTool() });
    const out = await agent.run(input({}), run.ctx);

    expect(run.prompts).toHaveLength(2);
    const correction = run.prompts[1]!.at(-1)!;
    expect(correction).toContain("{first_name}");
    expect(correction).toContain("[Your Name]");
    expect(out.data).toMatchObject({ sent: true, problems: [], llm_calls: 2 });
    expect(out.answer).not.toContain("{first_name}");
  });

  it("never saves a draft that still has a placeholder after the correction, even when approved", async () => {
    const run = fakeContext({ replies: [{ reply: templated }, { reply: templated }], tools: saveTool() });
    const out = await agent.run(input({ human_decision: "approve" }), run.ctx);

    expect(run.toolCalls.map((c) => c.tool)).not.toContain("create_draft");
    expect(out.data?.sent).toBe(false);
    expect((out.data?.problems as string[]).join("\n")).toContain("{first_name}");
    expect(run.spans.find((s) => s.name === "checkpoint:human_gate")?.attributes.blocked_by_guardrails).toBe(true);
  });
});

describe("email_outreach context", () => {
  it("asks get_enrichment and get_persona when they are not inline, and puts the hook in the prompt", async () => {
    const run = fakeContext({
      replies: [{ reply: clean }],
      tools: {
        get_enrichment: () => JSON.stringify({ summary: "Robots.", hooks: ["hiring 40 warehouse engineers"], extra_column: 1 }),
        get_persona: () => JSON.stringify({ pains: ["pick rates"], tone: "direct" }),
        ...saveTool(),
      },
    });
    await agent.run(EmailOutreachInput.parse({ ...base, enrichment: undefined, persona: undefined, human_decision: "approve" }), run.ctx);

    expect(run.toolCalls.map((c) => c.tool)).toEqual(["get_enrichment", "get_persona", "create_draft"]);
    expect(run.toolCalls[0]!.args).toEqual({ company_id: 42 });
    expect(run.prompts[0]!.join("\n")).toContain("hook: hiring 40 warehouse engineers");
    expect(run.prompts[0]!.join("\n")).toContain("contact_id=314");
  });

  it("composes without enrichment when get_enrichment fails, and tells the model not to guess", async () => {
    const run = fakeContext({
      replies: [{ reply: clean }],
      tools: { get_enrichment: () => ({ error: "enrichment row not found" }), ...saveTool() },
    });
    const out = await agent.run(input({ enrichment: undefined }), run.ctx);
    expect(out.data?.context_errors).toEqual(["get_enrichment failed: enrichment row not found"]);
    expect(run.prompts[0]!.join("\n")).toContain("enrichment: none available");
  });

  it("carries on without a persona the tool returned as prose or in the wrong shape, saying which", async () => {
    const run = fakeContext({
      replies: [{ reply: clean }, { reply: clean }],
      tools: { get_persona: (args) => (args.contact_id === 314 ? "persona not ready" : '{"pains": "one"}'), ...saveTool() },
    });
    const prose = await agent.run(input({ persona: undefined }), run.ctx);
    const wrongShape = await agent.run(input({ persona: undefined, contact: { ...base.contact, id: 315 } }), run.ctx);

    expect(prose.data?.context_errors).toEqual(['get_persona returned non-JSON: "persona not ready"']);
    expect(wrongShape.data?.context_errors).toEqual([expect.stringMatching(/^get_persona returned an unexpected shape: /)]);
    expect(prose.data?.sent).toBe(true);
  });

  it("lets an unrecorded tool call fail the run instead of carrying on", async () => {
    const run = fakeContext({ replies: [{ reply: clean }] });
    await expect(agent.run(input({ enrichment: undefined }), run.ctx)).rejects.toBeInstanceOf(UnexpectedToolCall);
  });

  it("answers without a draft when both replies are not JSON", async () => {
    const run = fakeContext({ replies: [{ reply: "Sure! Here is an email." }, { reply: "Subject: hi" }] });
    const out = await agent.run(input({}), run.ctx);
    expect(out.answer).toMatch(/^No draft: email draft: no JSON object/);
    expect(run.toolCalls).toEqual([]);
  });
});

describe("email_outreach input", () => {
  it("rejects a follow-up without the previous email, and a cold email with one", () => {
    expect(EmailOutreachInput.safeParse({ ...base, kind: "follow_up", human_decision: "skip" }).success).toBe(false);
    expect(EmailOutreachInput.safeParse({ ...base, previous_email: "Hi", human_decision: "skip" }).success).toBe(false);
    expect(EmailOutreachInput.safeParse({ ...base, human_decision: "later" }).success).toBe(false);
  });
});
