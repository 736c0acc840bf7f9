import { describe, expect, it } from "vitest";
import { ATTR } from "../core/trace.ts";
import { input, span } from "./test-helpers.ts";
import { toolSequence, trajectory } from "./trajectory.ts";

const tool = (name: string) => span(`tool:${name}`, "tool", { [ATTR.toolName]: name });
const run = (...tools: string[]) => [span("agent_run:x", "agent"), span("llm", "llm"), ...tools.map(tool)];

describe("trajectory", () => {
  it("is not applicable without trajectory expectations (absent or empty)", () => {
    expect(trajectory(input({}, "x", run("a")))).toBeNull();
    expect(trajectory(input({ tools_called: [], tool_order: [] }, "x", run("a")))).toBeNull();
  });

  it("reads tool names from the gen_ai.tool.name attribute of tool spans only", () => {
    const spans = [span("search", "phase"), span("tool:renamed", "tool", { [ATTR.toolName]: "count_rows" }), span("fallback_name", "tool")];
    expect(toolSequence(spans)).toEqual(["count_rows", "fallback_name"]);
  });

  it("passes when every expected tool was called, in order, and no forbidden one", () => {
    const r = trajectory(input({ tools_called: ["search", "count_rows"], tool_order: ["search", "count_rows"], tools_not_called: ["delete_rows"] }, "x", run("search", "inspect", "count_rows")))!;
    expect(r).toMatchObject({ pass: true, score: 1 });
    expect(r.reason).toBe("trajectory as expected (actual: search → inspect → count_rows)");
  });

  it("lists missing tools and shows the actual sequence", () => {
    const r = trajectory(input({ tools_called: ["search", "count_rows", "inspect_schema"] }, "x", run("search", "search")))!;
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(1 / 3);
    expect(r.reason).toBe('Not called: ["count_rows", "inspect_schema"] (actual: search → search)');
  });

  it("checks tool_order as a subsequence and says where it breaks", () => {
    const ok = trajectory(input({ tool_order: ["a", "c"] }, "x", run("a", "b", "c", "a")))!;
    expect(ok.pass).toBe(true);
    const wrong = trajectory(input({ tool_order: ["a", "b", "c"] }, "x", run("c", "a", "b")))!;
    expect(wrong.pass).toBe(false);
    expect(wrong.reason).toBe('Order a → b → c broken: "c" was not called after "b" (actual: c → a → b)');
    const never = trajectory(input({ tool_order: ["a", "z"] }, "x", run("a")))!;
    expect(never.reason).toContain('"z" was never called');
  });

  it("fails when a forbidden tool was dispatched", () => {
    const r = trajectory(input({ tools_not_called: ["delete_rows", "drop_table"] }, "x", run("search", "delete_rows")))!;
    expect(r).toMatchObject({ pass: false, score: 0.5 });
    expect(r.reason).toBe('Called but forbidden: ["delete_rows"] (actual: search → delete_rows)');
  });

  it("still judges the trace when the agent errored (no output)", () => {
    const r = trajectory(input({ tools_called: ["search"] }, null, run("search")))!;
    expect(r.pass).toBe(true);
  });

  it("says when no tool was called at all", () => {
    expect(trajectory(input({ tools_called: ["search"] }, "x", []))!.reason).toBe('Not called: ["search"] (actual: (no tool calls))');
  });
});
