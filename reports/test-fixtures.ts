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
