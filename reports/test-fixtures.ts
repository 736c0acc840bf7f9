/**
 * Test-only builders for reports and reporter contexts. Counts, usage and the gate are
 * derived from the examples given, the way the runner folds them, so tests state only
 * what they are about.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { REPORT_SCHEMA, type ExampleResult, type Report, type ScoreResult, type Verdict } from "../core/report.ts";
import type { ReporterContext } from "../core/reporter.ts";
import { ATTR, type Span } from "../core/trace.ts";

export function makeScore(name: string, pass: boolean, reason: string): ScoreResult {
  return { name, pass, score: pass ? 1 : 0, reason };
}

const OUTCOME_FOR: Record<Verdict, { expected_pass: boolean; outcome: ExampleResult["outcome"] }> = {
  ok: { expected_pass: true, outcome: "pass" },
  regression: { expected_pass: true, outcome: "fail" },
  fixed: { expected_pass: false, outcome: "pass" },
  known_failure: { expected_pass: false, outcome: "fail" },
};

export function makeExample(overrides: Partial<ExampleResult> & { id: string }): ExampleResult {
  const verdict = overrides.verdict ?? "ok";
  const passing = OUTCOME_FOR[verdict].outcome === "pass";
  return {
    graph: "admin_chat",
    dataset_version: 1,
    file: "datasets/admin_chat/v1.yaml",
    line: 10,
    column: 5,
    tags: [],
    ...OUTCOME_FOR[verdict],
    verdict,
    duration_ms: 12,
    input: { question: "how many companies?" },
    expect: { must_contain: ["2607"] },
    output: { answer: passing ? "There are 2607 companies." : "I could not find that." },
    scores: [makeScore("must_contain", passing, passing ? "All present" : 'Missing: ["2607"]')],
    usage: { input_tokens: 100, output_tokens: 20, total_tokens: 120, llm_calls: 2, recorded: true },
    cost_usd: 0.0001,
    spans: [],
    ...overrides,
  };
}

export function makeReport(examples: ExampleResult[], options: Partial<Report> & { strict?: boolean } = {}): Report {
  const { strict = false, ...overrides } = options;
  const count = (verdict: Verdict) => examples.filter((e) => e.verdict === verdict).length;
  const failing = count("regression") + (strict ? count("fixed") : 0);
  const datasets = new Map<string, Report["datasets"][number]>();
  for (const e of examples) {
    const key = `${e.graph}@v${e.dataset_version}`;
    const existing = datasets.get(key);
    if (existing) existing.examples += 1;
    else datasets.set(key, { graph: e.graph, version: e.dataset_version, file: e.file, description: `${e.graph} questions`, examples: 1 });
  }
  const sum = (pick: (e: ExampleResult) => number) => examples.reduce((total, e) => total + pick(e), 0);
  return {
    schema: REPORT_SCHEMA,
    run: {
      evalgate_version: "0.1.0",
      mode: "replay",
      strict,
      shard: null,
      filters: {},
      git: { sha: "0123456789abcdef0123456789abcdef01234567", branch: "main" },
      config_file: "eval.config.ts",
      concurrency: 4,
      prompt_hashes: {},
    },
    started_at: "2025-01-01T00:00:00.000Z",
    finished_at: "2025-01-01T00:00:04.200Z",
    duration_ms: 4200,
    counts: {
      total: examples.length,
      ok: count("ok"),
      regression: count("regression"),
      fixed: count("fixed"),
      known_failure: count("known_failure"),
      passed: examples.filter((e) => e.outcome === "pass").length,
      failed: examples.filter((e) => e.outcome === "fail").length,
      errored: examples.filter((e) => e.outcome === "error").length,
    },
    usage: {
      input_tokens: sum((e) => e.usage.input_tokens),
      output_tokens: sum((e) => e.usage.output_tokens),
      total_tokens: sum((e) => e.usage.total_tokens),
      llm_calls: sum((e) => e.usage.llm_calls),
      recorded: true,
    },
    cost_usd: sum((e) => e.cost_usd ?? 0),
    gate: failing > 0
      ? { passed: false, exit_code: 1, reason: `${failing} example(s) expected to pass did not` }
      : { passed: true, exit_code: 0, reason: "every example expected to pass passed" },
    datasets: [...datasets.values()],
    examples,
    ...overrides,
  };
}

/** A writable that records what was written, with the TTY facts a terminal would report. */
export function captureStream(options: { isTTY?: boolean; columns?: number } = {}) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  if (options.isTTY !== undefined) stream.isTTY = options.isTTY;
  if (options.columns !== undefined) stream.columns = options.columns;
  return { stream, text: () => chunks.join("") };
}

const tempDirs: string[] = [];

/** Call from afterEach: removes the directories makeContext created. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export async function makeContext(
  options: { env?: NodeJS.ProcessEnv; isTTY?: boolean; columns?: number } = {},
): Promise<{ ctx: ReporterContext; stdout: () => string }> {
  const rootDir = await mkdtemp(path.join(tmpdir(), "evalgate-reports-"));
  tempDirs.push(rootDir);
  const capture = captureStream({ isTTY: options.isTTY, columns: options.columns });
  const ctx: ReporterContext = { outDir: path.join(rootDir, ".evalgate"), rootDir, env: options.env ?? {}, stdout: capture.stream };
  return { ctx, stdout: capture.text };
}

const FIXTURE_SYSTEM_PROMPT = [
  "You answer questions about the lead-gen Postgres database for the admin UI.",
  "",
  "Tools (call exactly one per reply):",
  '- count_rows {"table": "<table>"}: the number of rows in one table.',
  '- query_db {"sql": "<SELECT ...>"}: runs one read-only SELECT and returns the rows.',
  "",
  "Reply with ONE JSON object and nothing else.",
].join("\n");

/**
 * The span tree the runner records for a two-step tool loop (agent → chat → tool → chat), with
 * prompts, completions and replayed usage, so trace views are tested on the real shape.
 */
export function makeTraceSpans(
  options: { graph?: string; question?: string; answer?: string; tool?: string; toolArgs?: Record<string, unknown>; toolResult?: string; toolError?: string; systemPrompt?: string } = {},
): Span[] {
  const graph = options.graph ?? "admin_chat";
  const question = options.question ?? "how many companies?";
  const answer = options.answer ?? "There are 2607 companies.";
  const tool = options.tool ?? "count_rows";
  const toolArgs = options.toolArgs ?? { table: "companies" };
  const system = options.systemPrompt ?? FIXTURE_SYSTEM_PROMPT;
  const call = JSON.stringify({ tool, args: toolArgs });
  const observation = options.toolError ? `Error from ${tool}: ${options.toolError}` : `Observation from ${tool}:\n${options.toolResult ?? "companies: 2607 rows"}`;
  const llm = (id: string, start: number, prompt: Array<{ role: string; content: string }>, completion: string, input: number, output: number): Span => ({
    id,
    parent_id: "s1",
    name: "chat gpt-4o-mini",
    kind: "llm",
    start_ms: start,
    duration_ms: 0.2,
    status: "ok",
    attributes: {
      [ATTR.system]: "openai",
      [ATTR.model]: "gpt-4o-mini",
      [ATTR.prompt]: prompt,
      [ATTR.completion]: completion,
      [ATTR.inputTokens]: input,
      [ATTR.outputTokens]: output,
      [ATTR.totalTokens]: input + output,
      [ATTR.costUsd]: (input * 0.15 + output * 0.6) / 1_000_000,
      [ATTR.latencyMs]: 420,
      [ATTR.recorded]: true,
    },
  });
  const firstPrompt = [{ role: "system", content: system }, { role: "user", content: `User question: ${question}` }];
  const secondPrompt = [...firstPrompt, { role: "assistant", content: call }, { role: "user", content: observation }];
  return [
    { id: "s1", parent_id: null, name: `agent_run:${graph}`, kind: "agent", start_ms: 0.2, duration_ms: 3.5, status: "ok", attributes: { [ATTR.answer]: answer, [ATTR.steps]: 2, [ATTR.totalTokens]: 120 } },
    llm("s2", 1.5, firstPrompt, call, 60, 10),
    {
      id: "s3",
      parent_id: "s1",
      name: `tool:${tool}`,
      kind: "tool",
      start_ms: 2.1,
      duration_ms: 0.1,
      status: options.toolError ? "error" : "ok",
      ...(options.toolError ? { error: options.toolError } : {}),
      attributes: {
        [ATTR.toolName]: tool,
        [ATTR.toolArgs]: toolArgs,
        [ATTR.toolAttempt]: 1,
        ...(options.toolError ? {} : { [ATTR.toolResult]: options.toolResult ?? "companies: 2607 rows" }),
      },
    },
    llm("s4", 2.9, secondPrompt, JSON.stringify({ answer }), 40, 10),
  ];
}

const BULK_VERDICTS: readonly Verdict[] = ["ok", "ok", "ok", "ok", "ok", "ok", "known_failure", "ok", "regression", "fixed"];
const BULK_GRAPHS = ["admin_chat", "agentic_search", "email_outreach", "pipeline", "research_agent"] as const;

/**
 * `count` examples spread deterministically over five graphs, two dataset versions, tags and
 * every verdict, each with a full trace; some carry a LangSmith trace_url or an error. For load
 * tests and benchmarks of reporters.
 */
export function makeManyExamples(count: number): ExampleResult[] {
  return Array.from({ length: count }, (_, i) => {
    // A multiplicative hash, so verdicts, versions and durations do not line up with graphs.
    const mix = Math.imul(i + 1, 2654435761) >>> 0;
    const graph = BULK_GRAPHS[i % BULK_GRAPHS.length]!;
    const version = 1 + (mix % 2);
    const verdict = BULK_VERDICTS[(mix >>> 8) % BULK_VERDICTS.length]!;
    const passing = verdict === "ok" || verdict === "fixed";
    const id = `example-${String(i).padStart(5, "0")}`;
    const question = `how many companies in segment ${i % 97} signed up in week ${i % 52}?`;
    const answer = passing
      ? `There are ${2000 + (i % 900)} companies in segment ${i % 97}; ${i % 13} of them signed up in week ${i % 52}.`
      : `I could not find segment ${i % 97} in the database, so I cannot say how many companies signed up.`;
    const errored = verdict === "regression" && i % 3 === 0;
    return makeExample({
      id,
      graph,
      dataset_version: version,
      file: `datasets/${graph}/v${version}.yaml`,
      line: 5 + (i % 400) * 12,
      tags: [["smoke", "counts"], ["segments"], ["weekly", "counts"], ["hallucination"]][i % 4]!,
      description: `Counts companies of segment ${i % 97} by sign-up week.`,
      verdict,
      ...(errored ? { outcome: "error" as const, error: { kind: "replay_miss", message: `LLM call #2 of ${graph}@v${version}/${id} has no recording`, hint: `re-record: pnpm eval --record --graph ${graph} --dataset-version ${version} --example ${id}` } } : {}),
      duration_ms: 5 + ((mix >>> 4) % 200),
      input: { question },
      expect: { must_contain: [String(2000 + (i % 900))], must_not_contain: ["I don't know"] },
      output: errored ? null : { answer, data: { steps: 2 } },
      scores: [
        makeScore("must_contain", passing, passing ? "all 1 expected phrase present" : `Missing: ["${2000 + (i % 900)}"]`),
        makeScore("must_not_contain", true, "none of 1 forbidden phrase present"),
      ],
      spans: makeTraceSpans({ graph, question, answer, ...(errored ? { toolError: "relation \"segments\" does not exist" } : {}) }),
      ...(i % 7 === 0 ? { trace_url: `https://smith.langchain.com/o/example/projects/p/r/${id}` } : {}),
    });
  });
}
