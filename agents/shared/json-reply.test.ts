import { describe, expect, it } from "vitest";
import { z } from "zod";
import { extractBalancedJson, JsonReplyError, parseJsonReply, readJsonObject, stripReasoning } from "./json-reply.ts";
import { parseRouterStep } from "./json-router.ts";

describe("stripReasoning", () => {
  it("drops think blocks before the JSON but keeps a literal <think> inside it", () => {
    expect(stripReasoning('<think>use {grep}</think>\n{"answer": "x"}')).toBe('{"answer": "x"}');
    expect(stripReasoning('{"tool": "grep", "args": {"pattern": "<think>"}}')).toBe('{"tool": "grep", "args": {"pattern": "<think>"}}');
  });

  it("lets an unterminated block swallow the rest: the model never got to answer", () => {
    expect(stripReasoning("<think>still thinking {")).toBe("");
  });
});

describe("extractBalancedJson", () => {
  it("honours braces and escaped quotes inside strings", () => {
    expect(extractBalancedJson('Here: {"a": "}\\"{", "b": {"c": 1}} and more }')).toBe('{"a": "}\\"{", "b": {"c": 1}}');
  });

  it("returns null for a cut-off object", () => {
    expect(extractBalancedJson('{"tool": "query_db", "args": {"sql": "SELECT')).toBeNull();
  });
});

describe("readJsonObject", () => {
  it("reads past fences and chatter", () => {
    expect(readJsonObject('Sure!\n```json\n{"tasks": ["a"]}\n```')).toEqual({ ok: true, value: { tasks: ["a"] } });
  });

  it("tells a missing object from broken JSON", () => {
    expect(readJsonObject("no json here")).toMatchObject({ ok: false, missing: true, problem: "no JSON object in the reply" });
    expect(readJsonObject('{"a": 1,}')).toMatchObject({ ok: false, missing: false, problem: expect.stringMatching(/^invalid JSON \(/) });
  });
});

describe("parseJsonReply", () => {
  const Draft = z.object({ subject: z.string().min(1), body: z.string().min(1) });

  it("names the step, the expected shape and quotes the reply", () => {
    const attempt = () => parseJsonReply("Subject: hi", Draft, { step: "email draft", expected: '{"subject", "body"}' });
    expect(attempt).toThrow(JsonReplyError);
    expect(attempt).toThrow('email draft: no JSON object in the reply; expected {"subject", "body"}; model said: "Subject: hi"');
  });

  it("lists every shape issue with its path", () => {
    expect(() => parseJsonReply('{"subject": ""}', Draft, { step: "email draft" }))
      .toThrow(/^email draft: unexpected shape \(subject: .+; body: .+\); model said: /);
    expect(() => parseJsonReply("{}", z.object({}).refine(() => false, "never valid"), {}))
      .toThrow(/^unexpected shape \(\(root\): never valid\); model said: "\{\}"$/);
  });

  it("cuts a long reply short in the message but keeps it whole on the error", () => {
    const raw = `prose ${"x".repeat(400)}`;
    try {
      parseJsonReply(raw, Draft, { step: "email draft" });
      expect.unreachable();
    } catch (error) {
      expect((error as JsonReplyError).raw).toBe(raw);
      expect((error as JsonReplyError).message).toContain(`${"x".repeat(294)}…"`);
      expect((error as JsonReplyError).message).not.toContain("x".repeat(301));
    }
  });
});

describe("parseRouterStep", () => {
  it("reads an answer, and a tool call whose args default to {}", () => {
    expect(parseRouterStep('<think>done</think>{"answer": "42"}')).toEqual({ kind: "answer", answer: "42" });
    expect(parseRouterStep('```json\n{"tool": "count_rows"}\n```')).toEqual({ kind: "tool", tool: "count_rows", args: {} });
  });

  it("tells the model what a step looks like when there is no object, even a cut-off one", () => {
    expect(() => parseRouterStep("Let me look that up.")).toThrow('expected a JSON object with "tool" or "answer"; model said: "Let me look that up."');
    expect(() => parseRouterStep('{"tool": "query_db", "args": {"sql": "SELECT')).toThrow(/^expected a JSON object with "tool" or "answer"/);
  });

  it("rejects broken JSON, non-object args and an object with neither key", () => {
    expect(() => parseRouterStep('{"answer": "x",}')).toThrow(/^invalid JSON \(/);
    expect(() => parseRouterStep('{"tool": "grep", "args": ["x"]}')).toThrow(/^"args" of tool grep must be an object/);
    expect(() => parseRouterStep('{"result": "x"}')).toThrow(/^JSON has neither a string "answer" nor a "tool" name/);
  });
});
