import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { ToolError, UnexpectedToolCall } from "evalgate";
import { fakeContext } from "./fake-context.ts";

describe("fakeContext", () => {
  it("serves repeated identical calls in order, the last answer repeating, whatever the key order", async () => {
    const run = fakeContext({
      tools: [
        { tool: "count", args: { table: "a", schema: "s" }, error: "429 rate limited" },
        { tool: "count", args: { table: "a", schema: "s" }, result: "3" },
      ],
    });
    const count = (args: Record<string, unknown>) => run.ctx.tools.call("count", args);

    await expect(count({ table: "a", schema: "s" })).rejects.toBeInstanceOf(ToolError);
    expect(await count({ schema: "s", table: "a" })).toBe("3");
    expect(await count({ table: "a", schema: "s" })).toBe("3");
    await expect(count({ table: "b", schema: "s" })).rejects.toBeInstanceOf(UnexpectedToolCall);
    expect(run.toolCalls).toHaveLength(4);
  });

  it("gives handler lists the same per-call order", async () => {
    const run = fakeContext({ tools: { fetch: (args) => (args.id === 1 ? [{ error: "timeout" }, "page 1"] : `page ${String(args.id)}`) } });
    await expect(run.ctx.tools.call("fetch", { id: 1 })).rejects.toThrow("timeout");
    expect(await run.ctx.tools.call("fetch", { id: 2 })).toBe("page 2");
    expect(await run.ctx.tools.call("fetch", { id: 1 })).toBe("page 1");
  });

  it("picks the first unused reply whose `when` occurs in the request", async () => {
    const run = fakeContext({ replies: [{ when: "worker 2", reply: "two" }, "any", { when: "worker 1", reply: "one" }] });
    const ask = async (text: string) => (await run.ctx.llm.invoke([new HumanMessage(text)])).content;

    expect(await ask("I am worker 1")).toBe("any");
    expect(await ask("I am worker 1")).toBe("one");
    expect(await ask("I am worker 2")).toBe("two");
    await expect(ask("anyone")).rejects.toThrow(/no scripted reply left for request 4/);
    expect(run.unusedReplies()).toEqual([]);
  });

  it("records spans, marking the ones whose function threw", async () => {
    const run = fakeContext();
    await run.ctx.span("phase:a", "phase", { n: 1 }, async (span) => span.set({ done: true }));
    await expect(run.ctx.span("worker:b", "worker", {}, async () => {
      throw new Error("boom");
    })).rejects.toThrow("boom");
    expect(run.spans).toEqual([
      { name: "phase:a", kind: "phase", attributes: { n: 1, done: true }, status: "ok" },
      { name: "worker:b", kind: "worker", attributes: {}, status: "error" },
    ]);
  });
});
