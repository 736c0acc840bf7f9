import { describe, expect, it } from "vitest";
import { fakeContext, type ScriptedReply, type RecordedCall } from "../shared/testing/fake-context.ts";
import agent from "./index.ts";
import { JsonReplyError } from "../shared/json-reply.ts";

const BRIEF = "Which signals predict that a B2B account will buy soon?";
const TASKS = ["intent data and lead scoring", "website engagement as a buying signal"];

const call = (tool: string, args: Record<string, unknown>) => JSON.stringify({ tool, args });

function script(): { replies: ScriptedReply[]; tools: RecordedCall[] } {
  const replies: ScriptedReply[] = [{ reply: `\`\`\`json\n${JSON.stringify({ tasks: TASKS })}\n\`\`\`` }];
  const tools: RecordedCall[] = [];
  for (const [t, prefix] of [[1, "intent"], [2, "engagement"]] as const) {
    for (const q of ["a", "b", "c"]) {
      replies.push({ when: `task ${t} of 2`, reply: call("search_papers", { query: `${prefix} ${q}` }) });
      tools.push({ tool: "search_papers", args: { query: `${prefix} ${q}` }, result: `{"total": 1, "data": [{"paperId": "${prefix}-${q}"}]}` });
    }
    for (const [id, year] of [[`${prefix}-a`, 2021], [`${prefix}-b`, 2018], ["shared", 2023]] as const) {
      replies.push({ when: `task ${t} of 2`, reply: call("get_paper_detail", { paper_id: id }) });
      tools.push({ tool: "get_paper_detail", args: { paper_id: id }, result: JSON.stringify({ paperId: id, title: `Paper ${id}`, year }) });
    }
    replies.push({ when: `task ${t} of 2`, reply: JSON.stringify({ answer: `Finding ${t}: Paper ${prefix}-a (2021). Confidence: medium - three papers.` }) });
  }
  replies.push({ when: "Write the merged report", reply: "Merged: Paper intent-a (2021), Paper engagement-a (2021). Confidence: medium - few papers." });
  return { replies, tools };
}

describe("research_agent", () => {
  it("plans, runs each task's own loop in its own span, one task after the other", async () => {
    const fake = fakeContext(script());
    const output = await agent.run({ brief: BRIEF }, fake.ctx);

    expect(fake.spans.map((s) => `${s.kind}:${s.name}`)).toEqual(["phase:plan", "worker:task:1", "worker:task:2", "phase:synthesize"]);
    expect(fake.spans[1]!.attributes).toMatchObject({ task: TASKS[0], steps: 7, exhausted: false, searches: 3, details: 3, enough_searches: true });
    // Sequential: every model call of task 1 comes before the first one of task 2.
    const calls = (t: number) => fake.prompts.flatMap((p, i) => (p.some((m) => m.includes(`task ${t} of 2`)) ? [i] : []));
    expect(calls(1)).toHaveLength(7);
    expect(Math.max(...calls(1))).toBeLessThan(Math.min(...calls(2)));
    expect(output.data?.tasks).toEqual(TASKS);
  });

  it("keeps each task's conversation separate", async () => {
    const fake = fakeContext(script());
    await agent.run({ brief: BRIEF }, fake.ctx);

    const task2 = fake.prompts.filter((p) => p.some((m) => m.includes("task 2 of 2")));
    expect(task2).toHaveLength(7);
    expect(task2[0]!.slice(1)).toEqual([`Research brief: ${BRIEF}\nThis is task 2 of 2: ${TASKS[1]}`]);
    expect(task2.at(-1)!.join("\n")).not.toContain("intent-a");
    expect(task2[0]![0]).toContain("at least three search_papers calls");
  });

  it("synthesizes from every task's answer and returns the report with the detailed papers", async () => {
    const fake = fakeContext(script());
    const output = await agent.run({ brief: BRIEF }, fake.ctx);

    const synthesis = fake.prompts.at(-1)!.join("\n");
    expect(synthesis).toContain(`## Task 1: ${TASKS[0]}\nFinding 1`);
    expect(synthesis).toContain(`## Task 2: ${TASKS[1]}\nFinding 2`);
    expect(output.answer).toBe("Merged: Paper intent-a (2021), Paper engagement-a (2021). Confidence: medium - few papers.");
    const papers = output.data?.papers as { paper_id: string }[];
    expect(papers.map((p) => p.paper_id)).toEqual(["intent-a", "intent-b", "shared", "engagement-a", "engagement-b"]);
    expect(fake.root).toMatchObject({ "evalgate.steps": 16 });
  });

  it("tells the synthesis that a task ran out of steps", async () => {
    const replies: ScriptedReply[] = [{ reply: '{"tasks": ["one"]}' }];
    const tools: RecordedCall[] = [];
    for (let i = 0; i < 10; i++) {
      replies.push({ when: "task 1 of 1", reply: call("search_papers", { query: `q${i}` }) });
      tools.push({ tool: "search_papers", args: { query: `q${i}` }, result: '{"total": 0, "data": []}' });
    }
    replies.push({ when: "Write the merged report", reply: "Nothing found. Confidence: low - no papers." });
    const fake = fakeContext({ replies, tools });
    const output = await agent.run({ brief: "obscure" }, fake.ctx);

    expect(fake.prompts.at(-1)!.join("\n")).toContain("(no answer: the task ran out of its 10 steps)");
    expect((output.data?.task_results as { exhausted: boolean }[])[0]!.exhausted).toBe(true);
  });

  it("stops before any task when the plan is garbage", async () => {
    const fake = fakeContext({ replies: ["I'll research this in three parts."] });
    await expect(agent.run({ brief: BRIEF }, fake.ctx)).rejects.toThrow(JsonReplyError);
    expect(fake.spans.map((s) => s.name)).toEqual(["plan"]);
    expect(fake.toolCalls).toEqual([]);
  });
});
