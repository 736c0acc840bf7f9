import { describe, expect, it } from "vitest";
import agent from "./index.ts";
import { JsonReplyError } from "../shared/json-reply.ts";
import { fakeContext, type ScriptedReply, type RecordedCall } from "../shared/testing/fake-context.ts";

const QUERY = "How are agent loops traced to LangSmith?";
const SUBQUERIES = ["where agent_run_span is defined", "where tool_call_span wraps dispatch", "how LANGSMITH_API_KEY reaches the container"];

function workerReplies(i: number, pattern: string, answer: string): ScriptedReply[] {
  return [
    { when: `worker ${i} of 3`, reply: `{"tool": "grep", "args": {"pattern": "${pattern}"}}` },
    { when: `worker ${i} of 3`, reply: JSON.stringify({ answer }) },
  ];
}

const WORKER_TOOLS: RecordedCall[] = [
  { tool: "grep", args: { pattern: "def agent_run_span" }, result: "backend/leadgen_agent/langsmith_setup.py:87:def agent_run_span(name, *, metadata=None):" },
  { tool: "grep", args: { pattern: "tool_call_span\\(" }, result: "backend/leadgen_agent/admin_chat_graph.py:171:        with tool_call_span(tool, args, attempt=step + 1) as finish:" },
  { tool: "grep", args: { pattern: "LANGSMITH_API_KEY" }, result: "backend/core/src/index.js:42:      LANGSMITH_API_KEY: langsmithKey ?? \"\"," },
];

const ANSWERS = [
  "agent_run_span is defined at backend/leadgen_agent/langsmith_setup.py:87.",
  "admin_chat wraps each dispatch in tool_call_span at backend/leadgen_agent/admin_chat_graph.py:171.",
  "The key is injected as an env var at backend/core/src/index.js:42.",
];

const REPORT = "Agent loops open agent_run_span (backend/leadgen_agent/langsmith_setup.py:87) and wrap each tool in tool_call_span "
  + "(backend/leadgen_agent/admin_chat_graph.py:171); the key arrives via backend/core/src/index.js:42.";

function fanOutScript(report = REPORT): ScriptedReply[] {
  return [
    { when: "Question to split", reply: `<think>three angles</think>\n\`\`\`json\n${JSON.stringify({ subqueries: SUBQUERIES })}\n\`\`\`` },
    ...workerReplies(1, "def agent_run_span", ANSWERS[0]!),
    ...workerReplies(2, "tool_call_span\\\\(", ANSWERS[1]!),
    ...workerReplies(3, "LANGSMITH_API_KEY", ANSWERS[2]!),
    { when: "Write the merged report", reply: report },
  ];
}

describe("agentic_search with decompose", () => {
  it("fans out to three workers that run at the same time", async () => {
    // Each worker's first tool call waits until all three workers have made theirs: run one after
    // another, the first worker would wait forever, and the race below reports it.
    let arrived = 0;
    let release!: () => void;
    const allThree = new Promise<void>((resolve) => (release = resolve));
    const beforeTool = async () => {
      if (++arrived === 3) release();
      await allThree;
    };
    const fake = fakeContext({ replies: fanOutScript(), tools: WORKER_TOOLS, beforeTool });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("workers ran sequentially")), 1000));
    const output = await Promise.race([agent.run({ query: QUERY }, fake.ctx), timeout]);

    expect(fake.toolCalls.map((c) => c.args.pattern).sort()).toEqual(["LANGSMITH_API_KEY", "def agent_run_span", "tool_call_span\\("]);
    expect(output.data?.workers).toEqual(SUBQUERIES.map((subquery, i) => ({ subquery, answer: ANSWERS[i], steps: 2 })));
  });

  it("gives each worker its own span, sub-question and worker marker", async () => {
    const fake = fakeContext({ replies: fanOutScript(), tools: WORKER_TOOLS });
    await agent.run({ query: QUERY, decompose: true }, fake.ctx);

    expect(fake.spans.map((s) => `${s.kind}:${s.name}`)).toEqual([
      "phase:decompose", "worker:worker:search[1]", "worker:worker:search[2]", "worker:worker:search[3]", "phase:synthesize",
    ]);
    expect(fake.spans[2]!.attributes).toMatchObject({ subquery: SUBQUERIES[1], steps: 2, exhausted: false, tool_calls: 1 });
    const workerPrompts = fake.prompts.filter((p) => p.some((m) => m.includes("worker 2 of 3")));
    expect(workerPrompts).toHaveLength(2);
    expect(workerPrompts[0]!.at(-1)).toContain(`Your sub-question: ${SUBQUERIES[1]}`);
  });

  it("shows the synthesis every worker's answer and returns its report with parsed citations", async () => {
    const fake = fakeContext({ replies: fanOutScript(), tools: WORKER_TOOLS });
    const output = await agent.run({ query: QUERY }, fake.ctx);

    const synthesisPrompt = fake.prompts.at(-1)!.join("\n");
    for (const [i, answer] of ANSWERS.entries()) {
      expect(synthesisPrompt).toContain(`Sub-question ${i + 1}: ${SUBQUERIES[i]}`);
      expect(synthesisPrompt).toContain(answer);
    }
    expect(output.answer).toBe(REPORT);
    expect(output.data).toMatchObject({
      subqueries: SUBQUERIES,
      citations: ["backend/leadgen_agent/langsmith_setup.py:87", "backend/leadgen_agent/admin_chat_graph.py:171", "backend/core/src/index.js:42"],
    });
    // decompose + 2 steps per worker + synthesize; the root carries the run, not the last worker.
    expect(fake.root).toMatchObject({ "evalgate.answer": REPORT, "evalgate.steps": 8 });
  });

  it("tells the synthesis when a worker came back empty-handed", async () => {
    const script = fanOutScript().map((r) =>
      r.when === "worker 3 of 3" && r.reply.startsWith('{"answer"') ? { ...r, reply: '{"answer": ""}' } : r);
    const fake = fakeContext({ replies: script, tools: WORKER_TOOLS });
    await agent.run({ query: QUERY }, fake.ctx);
    expect(fake.prompts.at(-1)!.join("\n")).toContain("(no answer: the worker returned an empty answer)");
  });

  it("drops the synthesis model's <think> block from the report", async () => {
    const fake = fakeContext({ replies: fanOutScript(`<think>merge them</think>\n${REPORT}`), tools: WORKER_TOOLS });
    expect((await agent.run({ query: QUERY }, fake.ctx)).answer).toBe(REPORT);
  });

  it("stops before any worker runs when the decompose reply is garbage", async () => {
    const fake = fakeContext({ replies: ["Sure! First I'd look at the tracing module."], tools: WORKER_TOOLS });
    await expect(agent.run({ query: QUERY }, fake.ctx)).rejects.toThrow(JsonReplyError);
    expect(fake.toolCalls).toEqual([]);
    expect(fake.prompts).toHaveLength(1);
  });
});

describe("agentic_search without decompose", () => {
  it("runs one glob → grep → read worker on the query itself and cites from its answer", async () => {
    const answer = "Backoff is in backend/leadgen_agent/llm.py:259 (2 ** attempt with jitter).";
    const fake = fakeContext({
      replies: [
        '{"tool": "glob", "args": {"pattern": "backend/**/llm*.py"}}',
        '{"tool": "grep", "args": {"pattern": "backoff", "path": "backend/leadgen_agent/llm.py"}}',
        '{"tool": "read", "args": {"path": "backend/leadgen_agent/llm.py"}}',
        JSON.stringify({ answer }),
      ],
      tools: [
        { tool: "glob", args: { pattern: "backend/**/llm*.py" }, result: "backend/leadgen_agent/llm.py" },
        { tool: "grep", args: { pattern: "backoff", path: "backend/leadgen_agent/llm.py" }, result: "backend/leadgen_agent/llm.py:259:    delay = backoff_base * 2 ** attempt" },
        { tool: "read", args: { path: "backend/leadgen_agent/llm.py" }, result: "259\t    delay = backoff_base * 2 ** attempt" },
      ],
    });
    const output = await agent.run({ query: "Where is LLM retry backoff?", decompose: false }, fake.ctx);

    expect(fake.toolCalls.map((c) => c.tool)).toEqual(["glob", "grep", "read"]);
    expect(fake.spans.map((s) => s.name)).toEqual(["worker:search"]);
    expect(fake.prompts[0]![1]).toBe("Question: Where is LLM retry backoff?");
    expect(output).toEqual({
      answer,
      data: { subqueries: [], workers: [{ subquery: "Where is LLM retry backoff?", answer, steps: 4 }], citations: ["backend/leadgen_agent/llm.py:259"] },
    });
  });

  it("rejects an empty query at input validation", () => {
    expect(agent.input.safeParse({ query: "  " }).success).toBe(false);
    expect(agent.input.safeParse({ query: "x", extra: 1 }).success).toBe(false);
  });
});
