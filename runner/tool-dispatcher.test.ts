import { tool } from "@langchain/core/tools";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ToolError, UnexpectedToolCall } from "../core/agent.ts";
import type { ToolRecording } from "../core/dataset.ts";
import { ATTR } from "../core/trace.ts";
import { recordedTools } from "./tool-dispatcher.ts";
import { Tracer } from "./tracer.ts";

const WHERE = "datasets/research_agent/v1.yaml:12";

function setup(recordings: ToolRecording[]) {
  const tracer = new Tracer();
  const tools = recordedTools(recordings, tracer, WHERE);
  const toolSpans = () => tracer.spans.filter((s) => s.kind === "tool");
  return { tracer, tools, toolSpans };
}

describe("recordedTools", () => {
  it("serves recorded results, JSON-encoding anything that is not a string", async () => {
    const { tools, toolSpans } = setup([
      { call: { tool: "lookup", args: { key: "companies" } }, result: "companies: 2607 rows" },
      { call: { tool: "search_papers", args: { query: "rag", limit: 2 } }, result: [{ id: "p1" }, { id: "p2" }] },
    ]);
    expect(await tools.call("lookup", { key: "companies" })).toBe("companies: 2607 rows");
    expect(await tools.call("search_papers", { limit: 2, query: "rag" })).toBe('[{"id":"p1"},{"id":"p2"}]');
    expect(tools.unexpected).toBeNull();

    const [first, second] = toolSpans();
    expect(first).toMatchObject({ name: "tool:lookup", status: "ok" });
    expect(first!.attributes).toMatchObject({ [ATTR.toolName]: "lookup", [ATTR.toolArgs]: { key: "companies" }, [ATTR.toolResult]: "companies: 2607 rows", [ATTR.toolAttempt]: 1 });
    expect(second!.attributes[ATTR.toolResult]).toBe('[{"id":"p1"},{"id":"p2"}]');
  });

  it("matches args whatever their key order, but not other values", async () => {
    const { tools } = setup([{ call: { tool: "search", args: { q: "a", page: 1 } }, result: "page one" }]);
    expect(await tools.call("search", { page: 1, q: "a" })).toBe("page one");
    await expect(tools.call("search", { page: 2, q: "a" })).rejects.toBeInstanceOf(UnexpectedToolCall);
  });

  it("consumes the same call recorded twice in order (error, then result), then repeats the last", async () => {
    const call = { tool: "get_paper_detail", args: { id: "p1" } };
    const { tools, toolSpans } = setup([
      { call, error: "503 upstream timeout" },
      { call, result: "Attention is all you need" },
    ]);

    const first = await tools.call(call.tool, call.args).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ToolError);
    expect(first).toMatchObject({ tool: "get_paper_detail", message: "503 upstream timeout" });
    expect(await tools.call(call.tool, call.args)).toBe("Attention is all you need");
    expect(await tools.call(call.tool, call.args)).toBe("Attention is all you need");

    const spans = toolSpans();
    expect(spans.map((s) => s.attributes[ATTR.toolAttempt])).toEqual([1, 2, 3]);
    expect(spans.map((s) => s.status)).toEqual(["error", "ok", "ok"]);
    expect(spans[0]!.attributes["evalgate.tool.error"]).toBe("503 upstream timeout");
    expect(spans[0]!.error).toBe("ToolError: 503 upstream timeout");
    // a recorded tool failure is the agent's business, not an unjudgeable run
    expect(tools.unexpected).toBeNull();
  });

  it("counts attempts per call, not per tool", async () => {
    const { tools, toolSpans } = setup([
      { call: { tool: "lookup", args: { key: "a" } }, result: "A" },
      { call: { tool: "lookup", args: { key: "b" } }, result: "B" },
    ]);
    await tools.call("lookup", { key: "a" });
    await tools.call("lookup", { key: "b" });
    await tools.call("lookup", { key: "a" });
    expect(toolSpans().map((s) => s.attributes[ATTR.toolAttempt])).toEqual([1, 1, 2]);
  });

  it("throws UnexpectedToolCall naming the recorded calls of that tool, and remembers it even if the agent catches it", async () => {
    const { tools, toolSpans } = setup([
      { call: { tool: "lookup", args: { key: "companies" } }, result: "2607" },
      { call: { tool: "lookup", args: { key: "contacts" } }, result: "9120" },
      { call: { tool: "send_email", args: {} }, result: "sent" },
    ]);
    let caught: unknown;
    try {
      await tools.call("lookup", { key: "deals" });
    } catch (error) {
      caught = error; // an agent that swallows tool errors must not hide the miss
    }
    expect(caught).toBeInstanceOf(UnexpectedToolCall);
    const message = (caught as Error).message;
    expect(message).toContain('unexpected tool call lookup({"key":"deals"})');
    expect(message).toContain(WHERE);
    expect(message).toContain('recorded calls of lookup: lookup({"key":"companies"}), lookup({"key":"contacts"})');
    expect(message).not.toContain("send_email");
    expect(message).toContain("tools:");

    expect(tools.unexpected).toBe(caught);
    expect(toolSpans()[0]).toMatchObject({ status: "error", error: expect.stringContaining("UnexpectedToolCall") });

    // later calls keep working, and the first unexpected call is the one kept
    expect(await tools.call("lookup", { key: "contacts" })).toBe("9120");
    await tools.call("lookup", { key: "other" }).catch(() => {});
    expect(tools.unexpected).toBe(caught);
  });

  it("names the recorded tools when the called tool has no recording at all", async () => {
    const { tools } = setup([
      { call: { tool: "lookup", args: { key: "a" } }, result: "A" },
      { call: { tool: "search", args: {} }, result: "S" },
    ]);
    await expect(tools.call("delete_everything", {})).rejects.toThrow('no recording of tool "delete_everything"; recorded tools: lookup, search');
  });

  it("says so when the example has no tool recordings", async () => {
    const { tools } = setup([]);
    await expect(tools.call("lookup", { key: "a" })).rejects.toThrow("the example has no tool recordings");
    expect(tools.unexpected).toBeInstanceOf(UnexpectedToolCall);
  });

  it("nests tool spans under the span the agent is in", async () => {
    const { tracer, tools, toolSpans } = setup([{ call: { tool: "lookup", args: {} }, result: "x" }]);
    await tracer.span("agent_run:qa", "agent", {}, () => tracer.span("phase:research", "phase", {}, () => tools.call("lookup", {})));
    const phase = tracer.spans.find((s) => s.name === "phase:research")!;
    expect(toolSpans()[0]!.parent_id).toBe(phase.id);
  });

  it("truncates a long result on the span but returns it whole", async () => {
    const long = "x".repeat(5000);
    const { tools, toolSpans } = setup([{ call: { tool: "dump", args: {} }, result: long }]);
    expect(await tools.call("dump", {})).toBe(long);
    const onSpan = String(toolSpans()[0]!.attributes[ATTR.toolResult]);
    expect(onSpan.length).toBeLessThan(2100);
    expect(onSpan.endsWith("…")).toBe(true);
  });
});

describe("wrap: LangChain tools answering from the recording", () => {
  const real = tool(async () => {
    throw new Error("the real tool must not run in a gate");
  }, { name: "lookup", description: "Looks a figure up.", schema: z.object({ key: z.string() }) });

  it("keeps name, description and schema, and returns the recorded result instead of running", async () => {
    const { tools, toolSpans } = setup([{ call: { tool: "lookup", args: { key: "companies" } }, result: "companies: 2607 rows" }]);
    const [wrapped] = tools.wrap([real]);
    expect([wrapped!.name, wrapped!.description]).toEqual(["lookup", "Looks a figure up."]);
    expect(await wrapped!.invoke({ key: "companies" })).toBe("companies: 2607 rows");
    const message = await wrapped!.invoke({ name: "lookup", args: { key: "companies" }, id: "call_1", type: "tool_call" });
    expect(message.content).toBe("companies: 2607 rows");
    expect(toolSpans()).toHaveLength(2);
  });

  it("a recorded failure is a ToolError and an unrecorded call is still caught", async () => {
    const { tools } = setup([{ call: { tool: "lookup", args: { key: "contacts" } }, error: "relation does not exist" }]);
    const [wrapped] = tools.wrap([real]);
    await expect(wrapped!.invoke({ key: "contacts" })).rejects.toBeInstanceOf(ToolError);
    await expect(wrapped!.invoke({ key: "firms" })).rejects.toBeInstanceOf(UnexpectedToolCall);
    expect(tools.unexpected?.message).toContain('unexpected tool call lookup({"key":"firms"})');
  });
});

describe("argument matchers (call.match)", () => {
  const answer = { call: { tool: "citation_check", args: { doc_id: "pol_refund_v7" }, match: { args: "subset" as const, regex: {}, ignore: [] } }, result: "supported" };

  it("subset: the recorded fields must be there and equal, others may be anything", async () => {
    const { tools } = setup([answer]);
    expect(await tools.call("citation_check", { doc_id: "pol_refund_v7", answer: "any text at all", request_id: "r-19" })).toBe("supported");
    const miss = await tools.call("citation_check", { doc_id: "pol_courtesy_v2_draft", answer: "x" }).catch((e: Error) => e);
    expect(miss).toBeInstanceOf(UnexpectedToolCall);
    expect((miss as Error).message).toContain('the nearest, citation_check({"doc_id":"pol_refund_v7"}) [subset], differs in doc_id: "pol_courtesy_v2_draft", recorded "pol_refund_v7"');
  });

  it("regex per field: the value must be text matching it; the nearest call names the field that failed", async () => {
    const { tools } = setup([{ call: { tool: "citation_check", args: { doc_id: "pol_refund_v7" }, match: { args: "exact", regex: { answer: "refund window" }, ignore: [] } }, result: "ok" }]);
    expect(await tools.call("citation_check", { doc_id: "pol_refund_v7", answer: "Your refund window is 30 days." })).toBe("ok");
    const miss = (await tools.call("citation_check", { doc_id: "pol_refund_v7", answer: "No refunds." }).catch((e: Error) => e)) as Error;
    expect(miss.message).toContain('differs in answer: "No refunds." does not match /refund window/');
    const notText = (await tools.call("citation_check", { doc_id: "pol_refund_v7", answer: 7 }).catch((e: Error) => e)) as Error;
    expect(notText.message).toContain("answer: 7 is not text (must match /refund window/)");
    // exact still holds for the rest: an extra field is a difference
    const extra = (await tools.call("citation_check", { doc_id: "pol_refund_v7", answer: "refund window", page: 2 }).catch((e: Error) => e)) as Error;
    expect(extra.message).toContain("page: 2 is not in the recording");
  });

  it("ignore: named fields (dotted paths too) may be anything or absent", async () => {
    const { tools } = setup([{ call: { tool: "send", args: { to: "a@b.c", meta: { sent_at: "2026-01-01", id: 1 } }, match: { args: "exact", regex: {}, ignore: ["meta.sent_at", "request_id"] } }, result: "sent" }]);
    expect(await tools.call("send", { to: "a@b.c", meta: { sent_at: "2026-12-03T18:00:00Z", id: 1 }, request_id: "r-1" })).toBe("sent");
    expect(await tools.call("send", { to: "a@b.c", meta: { id: 1 } })).toBe("sent");
    const miss = (await tools.call("send", { to: "a@b.c", meta: { sent_at: "x", id: 2 } }).catch((e: Error) => e)) as Error;
    expect(miss.message).toContain("meta.id: 2, recorded 1");
  });

  it("a loose recording is consumed in order like an exact one", async () => {
    const rec = (result: string) => ({ call: { tool: "poll", args: {}, match: { args: "subset" as const, regex: {}, ignore: [] } }, result });
    const { tools } = setup([rec("pending"), rec("done")]);
    expect(await tools.call("poll", { job: "j1" })).toBe("pending");
    expect(await tools.call("poll", { job: "j1" })).toBe("done");
    expect(await tools.call("poll", { job: "j1" })).toBe("done");
  });
});

describe("the tool span handle", () => {
  it("invoke returns the output and a handle that sets attributes on the call's own span; call takes attributes up front", async () => {
    const { tools, toolSpans } = setup([{ call: { tool: "rerank", args: { q: "refund" } }, result: '{"top1":"pol_courtesy_v2_draft"}' }]);
    const { result, span } = await tools.invoke("rerank", { q: "refund" }, { attributes: { "rerank.model": "cohere-rerank-3" } });
    span.set({ "rerank.top1_id": JSON.parse(result).top1 });
    await tools.call("rerank", { q: "refund" }, { attributes: { "rerank.model": "second" } });
    const [first, second] = toolSpans();
    expect(first!.attributes).toMatchObject({ "rerank.model": "cohere-rerank-3", "rerank.top1_id": "pol_courtesy_v2_draft", [ATTR.toolName]: "rerank" });
    expect(second!.attributes["rerank.model"]).toBe("second");
    expect(second!.attributes["rerank.top1_id"]).toBeUndefined();
  });
});
