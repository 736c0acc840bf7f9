/**
 * Test-only: a small but complete report with the span shapes the runner produces (agent
 * root, LLM calls, a failing tool call, a phase with a worker), two datasets, and planted
 * secrets so exporter tests can prove redaction. Built fresh each call; tests mutate freely.
 */
import { REPORT_SCHEMA, type ExampleResult, type Report } from "../../core/report.ts";
import { ATTR, type Span } from "../../core/trace.ts";

export const PLANTED_EMAIL = "jane.doe@example.com";
export const PLANTED_KEY = "sk-test-4f9a8b7c6d";
export const PLANTED_PHONE = "+1 (415) 555-0123";

function span(id: string, parent: string | null, name: string, kind: Span["kind"], start: number, duration: number, attributes: Record<string, unknown> = {}, error?: string): Span {
  return { id, parent_id: parent, name, kind, start_ms: start, duration_ms: duration, status: error ? "error" : "ok", ...(error && { error }), attributes };
}

function adminExample(): ExampleResult {
  return {
    graph: "admin_chat",
    dataset_version: 2,
    id: "count-companies",
    file: "datasets/admin_chat/v2.yaml",
    line: 7,
    column: 5,
    tags: ["smoke", "sql"],
    description: "counts rows",
    expected_pass: true,
    outcome: "pass",
    verdict: "ok",
    duration_ms: 41.5,
    input: { question: `how many companies? reply to ${PLANTED_EMAIL}`, api_key: PLANTED_KEY },
    expect: { must_contain: ["2607"], max_steps: 4 },
    output: { answer: `There are 2607 companies (ask ${PLANTED_EMAIL}).`, data: { rows: 2607 } },
    scores: [
      { name: "must_contain", pass: true, score: 1, reason: "All present" },
      { name: "trajectory", pass: true, score: 0.666666, reason: `2 of 3 steps as expected; key ${PLANTED_KEY}` },
    ],
    usage: { input_tokens: 300, output_tokens: 40, total_tokens: 340, llm_calls: 2, recorded: true },
    cost_usd: 0.00021,
    spans: [
      span("s1", null, "agent_run:admin_chat", "agent", 0.2, 41, { [ATTR.answer]: "There are 2607 companies.", [ATTR.steps]: 2, "evalgate.max_steps": 6 }),
      span("s2", "s1", "ChatOpenAI", "llm", 1.25, 10.5, {
        [ATTR.model]: "gpt-4o-mini",
        [ATTR.responseModel]: "gpt-4o-mini-2024-07-18",
        [ATTR.system]: "openai",
        [ATTR.inputTokens]: 150,
        [ATTR.outputTokens]: 20,
        [ATTR.totalTokens]: 170,
        [ATTR.costUsd]: 0.0001,
        [ATTR.recorded]: true,
        [ATTR.prompt]: [{ role: "user", content: `how many companies? my key is ${PLANTED_KEY}` }],
        [ATTR.completion]: '{"tool":"count_rows","args":{"table":"companies"}}',
      }),
      span("s3", "s1", "tool:count_rows", "tool", 12, 0.4, { [ATTR.toolName]: "count_rows", [ATTR.toolArgs]: { table: "companies" }, [ATTR.toolResult]: `2607 (owner ${PLANTED_EMAIL})`, [ATTR.toolAttempt]: 1 }),
      span("s4", "s1", "tool:query_db", "tool", 13, 0.3, { [ATTR.toolName]: "query_db", [ATTR.toolArgs]: { sql: "SELEC 1" } }, "ToolError: syntax error at or near SELEC"),
      span("s5", "s1", "ChatOpenAI", "llm", 14, 20, { [ATTR.model]: "gpt-4o-mini", [ATTR.inputTokens]: 150, [ATTR.outputTokens]: 20, [ATTR.prompt]: "second turn", [ATTR.completion]: '{"answer":"There are 2607 companies."}' }),
    ],
  };
}

function regressionExample(): ExampleResult {
  return {
    ...adminExample(),
    id: "top-industries",
    line: 21,
    tags: [],
    description: undefined,
    outcome: "fail",
    verdict: "regression",
    duration_ms: 20,
    input: { question: `top industries; call ${PLANTED_PHONE}` },
    expect: { must_contain: ["Software"] },
    output: { answer: "I could not find that." },
    scores: [{ name: "must_contain", pass: false, score: 0, reason: 'Missing: ["Software"]' }],
    cost_usd: null,
    spans: [
      span("s1", null, "agent_run:admin_chat", "agent", 0, 19),
      span("s2", "s1", "ChatOpenAI", "llm", 1, 5, { [ATTR.model]: "gpt-4o-mini", [ATTR.prompt]: "p", [ATTR.completion]: "c" }),
    ],
  };
}

function pipelineExample(): ExampleResult {
  return {
    graph: "pipeline",
    dataset_version: 1,
    id: "enrich-two",
    file: "datasets/pipeline/v1.yaml",
    line: 4,
    column: 5,
    tags: ["fanout"],
    expected_pass: false,
    outcome: "error",
    verdict: "known_failure",
    error: { kind: "UnexpectedToolCall", message: `tool lookup was not recorded for ${PLANTED_EMAIL}`, hint: "run --record" },
    duration_ms: 30,
    input: { company_ids: [1, 2] },
    expect: { must_contain: ["enriched"] },
    output: null,
    scores: [],
    usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0, llm_calls: 0, recorded: true },
    cost_usd: null,
    // Two roots on purpose: the exporters must synthesize one example root above them.
    spans: [
      span("s1", null, "phase:discover", "phase", 0, 5),
      span("s2", null, "phase:enrich", "phase", 6, 20, {}, "UnexpectedToolCall: lookup"),
      span("s3", "s2", "worker:1", "worker", 7, 8, { company_id: 1 }),
    ],
  };
}

export function sampleReport(): Report {
  const examples = [adminExample(), regressionExample(), pipelineExample()];
  return {
    schema: REPORT_SCHEMA,
    run: {
      evalgate_version: "0.1.0",
      mode: "replay",
      strict: false,
      shard: null,
      filters: {},
      git: { sha: "0123456789abcdef0123456789abcdef01234567", branch: "feature/x" },
      config_file: "eval.config.ts",
      concurrency: 2,
      prompt_hashes: { admin_chat: "a".repeat(64), pipeline: "b".repeat(64) },
    },
    started_at: "2026-11-21T10:00:00.000Z",
    finished_at: "2026-11-21T10:00:00.120Z",
    duration_ms: 120,
    counts: { total: 3, ok: 1, regression: 1, fixed: 0, known_failure: 1, passed: 1, failed: 1, errored: 1 },
    usage: { input_tokens: 300, output_tokens: 40, total_tokens: 340, llm_calls: 2, recorded: true },
    cost_usd: 0.00021,
    gate: { passed: false, exit_code: 1, reason: "1 regression" },
    datasets: [
      { graph: "admin_chat", version: 2, file: "datasets/admin_chat/v2.yaml", description: "read-only database Q&A", examples: 2 },
      { graph: "pipeline", version: 1, file: "datasets/pipeline/v1.yaml", description: "five-phase pipeline", examples: 1 },
    ],
    examples,
  };
}
