import { describe, expect, it } from "vitest";
import { JudgeCheck, type LocatedExample } from "../core/dataset.ts";
import type { Span } from "../core/trace.ts";
import { judgePrompt, judgeScoreName, parseJudgement } from "./judge.ts";

const example = { id: "e", input: { question: "refund?" } } as unknown as LocatedExample;
const toolSpan: Span = { id: "s2", parent_id: "s1", name: "tool:citation_check", kind: "tool", start_ms: 0, duration_ms: 1, status: "ok", attributes: { "gen_ai.tool.name": "citation_check", "evalgate.tool.args": { doc: "pol_7" }, "evalgate.tool.result": '{"unsupported":["14-day refund window"]}' } };

describe("judge", () => {
  it("reads the judge's JSON, also fenced or with prose around it, and refuses anything else", () => {
    expect(parseJudgement('{"score": 1, "reason": "ok"}')).toEqual({ score: 1, reason: "ok" });
    expect(parseJudgement('```json\n{"score": 0.25, "reason": "partly"}\n```')).toEqual({ score: 0.25, reason: "partly" });
    expect(parseJudgement('Sure! {"score": 0}')).toEqual({ score: 0, reason: "(no reason given)" });
    expect(parseJudgement('{"score": 7, "reason": "out of range"}')).toBeNull();
    expect(parseJudgement('{"score": "high"}')).toBeNull();
    expect(parseJudgement("9/10, looks fine")).toBeNull();
  });

  it("shows the judge what the check asks for: the rubric, then input, answer, tools or data", () => {
    const check = JudgeCheck.parse({ rubric: "Every claim is supported.", inputs: ["answer", "tools"] });
    const prompt = judgePrompt(check, example, { answer: "Refunds within 14 days." }, [toolSpan]);
    expect(prompt).toBe('RUBRIC:\nEvery claim is supported.\n\nANSWER:\nRefunds within 14 days.\n\nTOOL OUTPUTS:\n- citation_check({"doc":"pol_7"}) → {"unsupported":["14-day refund window"]}');
    expect(judgePrompt(JudgeCheck.parse({ rubric: "r" }), example, { answer: "a" }, [])).toBe('RUBRIC:\nr\n\nINPUT:\n{\n  "question": "refund?"\n}\n\nANSWER:\na');
  });

  it("names a lone judge `judge` and named ones `judge:<name>`", () => {
    expect(judgeScoreName(JudgeCheck.parse({ rubric: "r" }))).toBe("judge");
    expect(judgeScoreName(JudgeCheck.parse({ name: "grounded", rubric: "r" }))).toBe("judge:grounded");
  });
});
