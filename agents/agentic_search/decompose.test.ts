import { describe, expect, it } from "vitest";
import { JsonReplyError } from "../shared/json-reply.ts";
import { parseSubqueries } from "./decompose.ts";

describe("parseSubqueries", () => {
  it("reads the three sub-questions of a bare JSON reply", () => {
    expect(parseSubqueries('{"subqueries": ["where is agent_run_span", "who calls tool_call_span", "how is the key resolved"]}'))
      .toEqual(["where is agent_run_span", "who calls tool_call_span", "how is the key resolved"]);
  });

  it("ignores a <think> block, code fences and chatter around the JSON", () => {
    const raw = "<think>The user wants three angles {not json}.</think>\nHere you go:\n```json\n{\"subqueries\": [\"a\", \"b\", \"c\"]}\n```";
    expect(parseSubqueries(raw)).toEqual(["a", "b", "c"]);
  });

  it("trims whitespace around each sub-question", () => {
    expect(parseSubqueries('{"subqueries": ["  a ", "b\\n", "c"]}')).toEqual(["a", "b", "c"]);
  });

  it("rejects prose with an error that says which step failed and quotes the reply", () => {
    const attempt = () => parseSubqueries("I would search for the retry logic first.");
    expect(attempt).toThrow(JsonReplyError);
    expect(attempt).toThrow(/decompose step: no JSON object in the reply.*"I would search for the retry logic first\."/);
  });

  it("rejects broken JSON", () => {
    expect(() => parseSubqueries('{"subqueries": ["a", "b", "c",]}')).toThrow(/invalid JSON/);
  });

  it("rejects a plan that is not exactly three sub-questions", () => {
    expect(() => parseSubqueries('{"subqueries": ["a", "b"]}')).toThrow(/subqueries: expected exactly 3 sub-questions/);
    expect(() => parseSubqueries('{"subqueries": ["a", "b", "c", "d"]}')).toThrow(/exactly 3/);
  });

  it("rejects empty or non-string entries and a wrong key", () => {
    expect(() => parseSubqueries('{"subqueries": ["a", "  ", "c"]}')).toThrow(/subqueries\.1: a sub-question is empty/);
    expect(() => parseSubqueries('{"subqueries": ["a", 2, "c"]}')).toThrow(/subqueries\.1/);
    // The expected shape is always quoted, so look for the shape problem itself.
    expect(() => parseSubqueries('{"queries": ["a", "b", "c"]}')).toThrow(/unexpected shape \(subqueries: /);
  });

  it("keeps the raw reply on the error for the trace", () => {
    try {
      parseSubqueries("nope");
      expect.unreachable();
    } catch (error) {
      expect((error as JsonReplyError).raw).toBe("nope");
    }
  });
});
