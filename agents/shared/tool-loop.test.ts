import { describe, expect, it } from "vitest";
import { UnexpectedToolCall } from "evalgate";
import { fakeContext } from "./testing/fake-context.ts";
import { runToolLoop, type ToolLoopOptions } from "./tool-loop.ts";

const TOOLS = ["lookup"] as const;

function loop(ctx: ToolLoopOptions["ctx"], extra: Partial<ToolLoopOptions> = {}) {
  return runToolLoop({ ctx, system: "system prompt", user: "question", tools: TOOLS, maxSteps: 4, ...extra });
}

describe("runToolLoop", () => {
  it("feeds results and tool errors back and stops on an answer", async () => {
    const run = fakeContext({
      replies: ['{"tool": "lookup", "args": {"id": 1}}', '{"tool": "lookup", "args": {"id": 2}}', '{"answer": "one"}'],
      tools: [{ tool: "lookup", args: { id: 1 }, result: "row 1" }, { tool: "lookup", args: { id: 2 }, error: "timeout" }],
    });
    const result = await loop(run.ctx);

    expect(result).toEqual({
      answer: "one",
      steps: 3,
      exhausted: false,
      observations: [{ tool: "lookup", args: { id: 1 }, result: "row 1" }, { tool: "lookup", args: { id: 2 }, error: "timeout" }],
    });
    expect(run.prompts[1]!.at(-1)).toBe("Observation from lookup:\nrow 1");
    expect(run.prompts[2]!.at(-1)).toBe("Error from lookup: timeout");
  });

  it("answers garbage with a correction turn that counts as a step", async () => {
    const run = fakeContext({ replies: ["Sure, one moment.", '{"answer": "done"}'] });
    const result = await loop(run.ctx);
    expect(run.prompts[1]!.at(-1)).toBe(
      'Your reply was not valid: expected a JSON object with "tool" or "answer"; model said: "Sure, one moment.". Reply with one JSON object only.',
    );
    expect(result).toMatchObject({ answer: "done", steps: 2 });
  });

  it("lets an unrecorded tool call fail the run", async () => {
    const run = fakeContext({ replies: ['{"tool": "lookup", "args": {"id": 9}}'], tools: [] });
    await expect(loop(run.ctx)).rejects.toBeInstanceOf(UnexpectedToolCall);
  });
});

describe("runToolLoop beforeDispatch", () => {
  const refuseOdd = (_tool: string, args: Record<string, unknown>) => (Number(args.id) % 2 === 1 ? `id ${String(args.id)} is not allowed` : null);

  it("never dispatches a refused call, tells the model why and traces a guard span", async () => {
    const run = fakeContext({
      replies: ['{"tool": "lookup", "args": {"id": 3}}', '{"tool": "lookup", "args": {"id": 4}}', '{"answer": "four"}'],
      tools: [{ tool: "lookup", args: { id: 4 }, result: "row 4" }],
    });
    const result = await loop(run.ctx, { beforeDispatch: refuseOdd });

    expect(run.toolCalls).toEqual([{ tool: "lookup", args: { id: 4 } }]);
    expect(run.prompts[1]!.at(-1)).toBe("Error from lookup: id 3 is not allowed");
    expect(result.observations).toEqual([
      { tool: "lookup", args: { id: 3 }, error: "id 3 is not allowed" },
      { tool: "lookup", args: { id: 4 }, result: "row 4" },
    ]);
    expect(run.spans).toEqual([
      { name: "guard:lookup", kind: "chain", status: "error", attributes: { tool: "lookup", args: { id: 3 }, rejected: "id 3 is not allowed" } },
    ]);
  });

  it("is not asked about tools the prompt does not offer", async () => {
    const asked: string[] = [];
    const run = fakeContext({ replies: ['{"tool": "drop", "args": {}}', '{"answer": "no"}'] });
    await loop(run.ctx, { beforeDispatch: (tool) => (asked.push(tool), null) });

    expect(asked).toEqual([]);
    expect(run.prompts[1]!.at(-1)).toBe('Error: unknown tool "drop". Available tools: lookup.');
  });
});
