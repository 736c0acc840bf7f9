import { describe, expect, it } from "vitest";
import { ATTR } from "../core/trace.ts";
import { budgets } from "./budgets.ts";
import { input, span } from "./test-helpers.ts";

const llm = (tokens: number, cost?: number, model = "gpt-4o-mini") =>
  span("ChatOpenAI", "llm", { [ATTR.model]: model, [ATTR.totalTokens]: tokens, ...(cost === undefined ? {} : { [ATTR.costUsd]: cost }) });

describe("budgets", () => {
  it("is not applicable without limits", () => {
    expect(budgets(input({}, "x", [llm(10, 0.1)]))).toBeNull();
  });

  it("counts LLM spans as steps, ignoring other kinds", () => {
    const spans = [span("agent_run:x", "agent"), llm(1), span("tool:a", "tool"), llm(1), llm(1)];
    expect(budgets(input({ max_steps: 3 }, "x", spans))).toMatchObject({ pass: true, reason: "steps 3 ≤ 3" });
    expect(budgets(input({ max_steps: 2 }, "x", spans))).toMatchObject({ pass: false, score: 0, reason: "steps 3 > max_steps 2" });
  });

  it("sums total tokens over LLM spans and reports actual vs limit", () => {
    const spans = [llm(700), llm(600)];
    expect(budgets(input({ max_tokens: 1300 }, "x", spans))!.pass).toBe(true);
    expect(budgets(input({ max_tokens: 1000 }, "x", spans))!.reason).toBe("tokens 1300 > max_tokens 1000");
  });

  it("falls back to input + output tokens, and fails when usage is missing", () => {
    const split = span("llm", "llm", { [ATTR.inputTokens]: 40, [ATTR.outputTokens]: 2 });
    expect(budgets(input({ max_tokens: 41 }, "x", [split]))!.reason).toBe("tokens 42 > max_tokens 41");
    const bare = span("llm", "llm", {});
    const r = budgets(input({ max_tokens: 1000 }, "x", [llm(10), bare]))!;
    expect(r.pass).toBe(false);
    expect(r.reason).toContain("1 of 2 LLM calls carry no usage");
  });

  it("sums cost and compares it with max_cost_usd", () => {
    const spans = [llm(1, 0.004), llm(1, 0.003)];
    expect(budgets(input({ max_cost_usd: 0.01 }, "x", spans))).toMatchObject({ pass: true, reason: "cost $0.007 ≤ $0.01" });
    expect(budgets(input({ max_cost_usd: 0.005 }, "x", spans))).toMatchObject({ pass: false, reason: "cost $0.007 > max_cost_usd $0.005" });
  });

  it("fails when a model has no price, pointing at eval.config.ts", () => {
    const r = budgets(input({ max_cost_usd: 1 }, "x", [llm(1, 0.001), llm(1, undefined, "my-private-model")]))!;
    expect(r.pass).toBe(false);
    expect(r.reason).toBe('cost unknown: model "my-private-model" has no price; add one under `pricing` in eval.config.ts (limit $1)');
    expect(r.details?.cost_usd).toBeNull();
  });

  it("scores the fraction of limits that held, in one reason", () => {
    const r = budgets(input({ max_steps: 5, max_tokens: 10, max_cost_usd: 1 }, "x", [llm(50, 0.5)]))!;
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(2 / 3);
    expect(r.reason).toBe("steps 1 ≤ 5; tokens 50 > max_tokens 10; cost $0.5 ≤ $1");
  });
});
