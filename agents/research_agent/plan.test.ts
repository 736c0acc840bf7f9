import { describe, expect, it } from "vitest";
import { JsonReplyError } from "../shared/json-reply.ts";
import { parsePlan } from "./plan.ts";

describe("parsePlan", () => {
  it("reads the tasks of a bare JSON reply", () => {
    expect(parsePlan('{"tasks": ["intent signals for B2B lead scoring", "reply-rate effects of personalised cold email"]}'))
      .toEqual(["intent signals for B2B lead scoring", "reply-rate effects of personalised cold email"]);
  });

  it("ignores a <think> block and ```json fences", () => {
    expect(parsePlan('<think>one task is enough {really}</think>\n```json\n{"tasks": ["  lead scoring with GBMs "]}\n```'))
      .toEqual(["lead scoring with GBMs"]);
  });

  it("rejects prose with an error naming the step and quoting the reply", () => {
    const attempt = () => parsePlan("Let me think about which databases to search.");
    expect(attempt).toThrow(JsonReplyError);
    expect(attempt).toThrow(/research_agent plan step: no JSON object in the reply.*model said: "Let me think/);
  });

  it("rejects an empty plan, an empty task and an over-long plan", () => {
    expect(() => parsePlan('{"tasks": []}')).toThrow(/tasks: the plan has no tasks/);
    expect(() => parsePlan('{"tasks": ["a", ""]}')).toThrow(/tasks\.1: a task is empty/);
    expect(() => parsePlan('{"tasks": ["a", "b", "c", "d"]}')).toThrow(/at most 3 tasks/);
  });

  it("rejects a plan under another key or with non-string tasks", () => {
    // The expected shape is always quoted, so look for the shape problem itself.
    expect(() => parsePlan('{"steps": ["a"]}')).toThrow(/unexpected shape \(tasks: /);
    expect(() => parsePlan('{"tasks": [{"title": "a"}]}')).toThrow(/tasks\.0/);
  });
});
