import type { AgentOutput } from "../core/agent.ts";
import type { JudgeConfig } from "../core/config.ts";
import type { JudgeCheck, LocatedExample } from "../core/dataset.ts";
import type { ScoreResult } from "../core/report.ts";
import { ATTR, type Span } from "../core/trace.ts";
import { RecordingMiss } from "./llm-transport.ts";
import type { Tracer } from "./tracer.ts";

/**
 * `expect.judge`: an LLM grades the answer against a rubric. The call is a plain chat completion
 * sent through the example's judge transport, so it is recorded beside the agent's exchanges,
 * replayed in CI, priced and traced like any other call; its request holds the rubric, the judge
 * model and the exact answer, so a change to any of them is a replay miss, never a silent re-judge.
 */

export const JUDGE_SYSTEM_PROMPT = [
  "You are a strict evaluator. Grade the ANSWER against the RUBRIC using only what you are shown.",
  'Reply with one JSON object and nothing else: {"score": <number from 0 to 1>, "reason": "<one sentence>"}.',
  "1 means the rubric is fully met, 0 that it is not met at all.",
].join("\n");

export function judgeChecksOf(example: LocatedExample): JudgeCheck[] {
  const judge = example.expect.judge;
  return judge === undefined ? [] : Array.isArray(judge) ? judge : [judge];
}

/** `judge` for a lone unnamed judge, `judge:<name>` otherwise: what reports call the score. */
export function judgeScoreName(check: JudgeCheck): string {
  return check.name === "judge" ? "judge" : `judge:${check.name}`;
}

/** What the judge is shown, in the order the rubric's author would read it. */
export function judgePrompt(check: JudgeCheck, example: LocatedExample, output: AgentOutput, spans: readonly Span[]): string {
  const parts = [`RUBRIC:\n${check.rubric.trim()}`];
  for (const what of check.inputs) {
    if (what === "input") parts.push(`INPUT:\n${JSON.stringify(example.input, null, 2)}`);
    if (what === "answer") parts.push(`ANSWER:\n${output.answer}`);
    if (what === "data") parts.push(`DATA:\n${JSON.stringify(output.data ?? null, null, 2)}`);
    if (what === "tools") {
      const tools = spans.filter((s) => s.kind === "tool").map((s) => `- ${String(s.attributes[ATTR.toolName])}(${JSON.stringify(s.attributes[ATTR.toolArgs] ?? {})}) → ${String(s.attributes[ATTR.toolResult] ?? s.attributes["evalgate.tool.error"] ?? "")}`);
      parts.push(`TOOL OUTPUTS:\n${tools.length ? tools.join("\n") : "(no tool calls)"}`);
    }
  }
  return parts.join("\n\n");
}

export interface JudgeRunOptions {
  checks: readonly JudgeCheck[];
  example: LocatedExample;
  output: AgentOutput;
  spans: readonly Span[];
  config: JudgeConfig;
  /** Where the judge's requests go: the example's judge transport (replay, record or live). */
  fetch: typeof fetch;
  baseURL: string;
  apiKey: string;
  tracer: Tracer;
}

/** One score per judge check. A replay miss is thrown (the example cannot be judged); anything else is a failing score that says why. */
export async function runJudges(opts: JudgeRunOptions): Promise<ScoreResult[]> {
  const scores: ScoreResult[] = [];
  for (const check of opts.checks) scores.push(await runJudge(check, opts));
  return scores;
}

async function runJudge(check: JudgeCheck, opts: JudgeRunOptions): Promise<ScoreResult> {
  const name = judgeScoreName(check);
  const model = check.model ?? opts.config.model;
  const threshold = check.threshold ?? opts.config.threshold;
  return opts.tracer.span(name, "judge", { "evalgate.judge.rubric": check.rubric, "evalgate.judge.model": model, "evalgate.judge.threshold": threshold }, async (span) => {
    const body = {
      model,
      temperature: opts.config.temperature,
      messages: [
        { role: "system", content: JUDGE_SYSTEM_PROMPT },
        { role: "user", content: judgePrompt(check, opts.example, opts.output, opts.spans) },
      ],
    };
    let res: Response;
    try {
      res = await opts.fetch(`${opts.baseURL.replace(/\/+$/, "")}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${opts.apiKey}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(opts.config.requestTimeoutMs),
      });
    } catch (error) {
      if (error instanceof RecordingMiss) throw error;
      return fail(name, `the judge endpoint could not be reached: ${(error as Error).message}`, {});
    }
    const text = await res.text();
    if (!res.ok) return fail(name, `the judge endpoint answered HTTP ${res.status}: ${text.slice(0, 300)}`, { status: res.status });
    const reply = completionText(text);
    const verdict = reply === null ? null : parseJudgement(reply);
    if (!verdict) return fail(name, `the judge's reply is not {"score": 0..1, "reason": "…"}: ${JSON.stringify((reply ?? text).slice(0, 500))}`, { raw: (reply ?? text).slice(0, 2000) });
    span.set({ "evalgate.judge.score": verdict.score, "evalgate.judge.reason": verdict.reason });
    const pass = verdict.score >= threshold;
    return {
      name,
      pass,
      score: verdict.score,
      reason: `${pass ? "passed" : "failed"} (score ${verdict.score} ${pass ? "≥" : "<"} threshold ${threshold}): ${verdict.reason}`,
      details: { rubric: check.rubric, model, threshold, judge_reason: verdict.reason, inputs: check.inputs },
    };
  });
}

function fail(name: string, reason: string, details: Record<string, unknown>): ScoreResult {
  return { name, pass: false, score: 0, reason, details };
}

function completionText(body: string): string | null {
  try {
    const content = (JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
    return typeof content === "string" ? content : null;
  } catch {
    return null;
  }
}

/** The judge's JSON, also when wrapped in a code fence or prose; a score outside 0..1 is not a judgement. */
export function parseJudgement(reply: string): { score: number; reason: string } | null {
  const start = reply.indexOf("{");
  const end = reply.lastIndexOf("}");
  if (start < 0 || end <= start) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.slice(start, end + 1));
  } catch {
    return null;
  }
  const { score, reason } = (parsed ?? {}) as { score?: unknown; reason?: unknown };
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) return null;
  return { score, reason: typeof reason === "string" && reason.trim() ? reason.trim() : "(no reason given)" };
}
