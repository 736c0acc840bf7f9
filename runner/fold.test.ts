import { describe, expect, it } from "vitest";
import { REPORT_SCHEMA, Report, type ExampleResult, type Outcome, type RunEvent, type RunInfo, type Usage } from "../core/report.ts";
import { makeExample } from "../reports/test-fixtures.ts";
import { foldReport } from "./fold.ts";
import { verdictFor } from "./gate.ts";

const RUN: RunInfo = {
  evalgate_version: "0.1.0",
  mode: "replay",
  strict: false,
  shard: null,
  filters: {},
  git: { sha: null, branch: null },
  config_file: "eval.config.ts",
  concurrency: 4,
  prompt_hashes: {},
};

interface Spec {
  id: string;
  file: string;
  line: number;
  expectedPass?: boolean;
  outcome?: Outcome;
  usage?: Partial<Usage>;
  cost?: number | null;
}

function result(spec: Spec): ExampleResult {
  const expectedPass = spec.expectedPass ?? true;
  const outcome = spec.outcome ?? "pass";
  const usage: Usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0, llm_calls: 0, recorded: true, ...spec.usage };
  return makeExample({
    graph: spec.file.split("/")[1]!,
    id: spec.id,
    file: spec.file,
    line: spec.line,
    column: 5,
    expected_pass: expectedPass,
    outcome,
    verdict: verdictFor(expectedPass, outcome),
    duration_ms: 1,
    input: {},
    expect: {},
    output: outcome === "error" ? null : { answer: "a" },
    scores: [],
    usage,
    cost_usd: spec.cost === undefined ? 0 : spec.cost,
  });
}

function events(results: ExampleResult[], opts: { strict?: boolean; end?: boolean } = {}): RunEvent[] {
  const out: RunEvent[] = [{ type: "run-start", run: { ...RUN, strict: opts.strict ?? false }, started_at: "2025-01-01T00:00:00.000Z", planned: results.length, datasets: [] }];
  for (const r of results) out.push({ type: "example-start", graph: r.graph, dataset_version: r.dataset_version, id: r.id }, { type: "example-end", result: r });
  if (opts.end ?? true) out.push({ type: "run-end", finished_at: "2025-01-01T00:00:02.500Z" });
  return out;
}

const usage = (input: number, output: number, calls: number, recorded = true): Partial<Usage> => ({ input_tokens: input, output_tokens: output, total_tokens: input + output, llm_calls: calls, recorded });

describe("foldReport", () => {
  it("needs a run-start", () => {
    expect(() => foldReport([{ type: "run-end", finished_at: "2025-01-01T00:00:00.000Z" }])).toThrow(/run-start/);
  });

  it("orders examples by dataset file, then line, whatever order they finished in", () => {
    const finished = [
      result({ id: "q-30", file: "datasets/qa/v1.yaml", line: 30 }),
      result({ id: "a-12", file: "datasets/admin/v1.yaml", line: 12 }),
      result({ id: "q-4", file: "datasets/qa/v1.yaml", line: 4 }),
      result({ id: "a2-5", file: "datasets/admin/v2.yaml", line: 5 }),
      result({ id: "q-100", file: "datasets/qa/v1.yaml", line: 100 }),
    ];
    const report = foldReport(events(finished));
    expect(report.examples.map((e) => e.id)).toEqual(["a-12", "a2-5", "q-4", "q-30", "q-100"]);
  });

  it("sums usage over examples and keeps the run's times", () => {
    const report = foldReport(events([
      result({ id: "a", file: "datasets/qa/v1.yaml", line: 1, usage: usage(100, 20, 2), cost: 0.001 }),
      result({ id: "b", file: "datasets/qa/v1.yaml", line: 2, usage: usage(50, 5, 1), cost: 0.0025 }),
      result({ id: "c", file: "datasets/qa/v1.yaml", line: 3, usage: usage(0, 0, 0), cost: null }),
    ]));
    expect(report.usage).toEqual({ input_tokens: 150, output_tokens: 25, total_tokens: 175, llm_calls: 3, recorded: true });
    // a no-LLM example without a cost does not make the total unknown
    expect(report.cost_usd).toBeCloseTo(0.0035, 10);
    expect(report).toMatchObject({ schema: REPORT_SCHEMA, started_at: "2025-01-01T00:00:00.000Z", finished_at: "2025-01-01T00:00:02.500Z", duration_ms: 2500 });
    expect(() => Report.parse(report)).not.toThrow();
  });

  it("rounds the summed cost so float noise does not show", () => {
    const many = Array.from({ length: 10 }, (_, i) => result({ id: `e${i}`, file: "datasets/qa/v1.yaml", line: i + 1, usage: usage(1, 1, 1), cost: 0.1 }));
    expect(foldReport(events(many)).cost_usd).toBe(1);
  });

  it("cost is null when an example that called the LLM has no price", () => {
    const report = foldReport(events([
      result({ id: "priced", file: "datasets/qa/v1.yaml", line: 1, usage: usage(10, 1, 1), cost: 0.5 }),
      result({ id: "unpriced", file: "datasets/qa/v1.yaml", line: 2, usage: usage(10, 1, 1), cost: null }),
    ]));
    expect(report.cost_usd).toBeNull();
    expect(report.usage.llm_calls).toBe(2);
  });

  it("usage counts as recorded only when every example's was", () => {
    const report = foldReport(events([
      result({ id: "a", file: "datasets/qa/v1.yaml", line: 1, usage: usage(1, 1, 1, true) }),
      result({ id: "b", file: "datasets/qa/v1.yaml", line: 2, usage: usage(1, 1, 1, false) }),
    ]));
    expect(report.usage.recorded).toBe(false);
  });

  it("counts verdicts and decides the gate with the run's --strict flag", () => {
    const results = [
      result({ id: "ok", file: "datasets/qa/v1.yaml", line: 1 }),
      result({ id: "fixed", file: "datasets/qa/v1.yaml", line: 2, expectedPass: false, outcome: "pass" }),
      result({ id: "known", file: "datasets/qa/v1.yaml", line: 3, expectedPass: false, outcome: "fail" }),
    ];
    const lenient = foldReport(events(results));
    expect(lenient.counts).toMatchObject({ total: 3, ok: 1, fixed: 1, known_failure: 1, regression: 0 });
    expect(lenient.gate).toMatchObject({ passed: true, exit_code: 0 });
    expect(foldReport(events(results, { strict: true })).gate).toMatchObject({ passed: false, exit_code: 1 });

    const withRegression = [...results, result({ id: "broke", file: "datasets/qa/v1.yaml", line: 4, outcome: "error" })];
    expect(foldReport(events(withRegression)).gate).toMatchObject({ passed: false, exit_code: 1 });
  });

  it("folding two shards' concatenated events gives the same examples as one run", () => {
    const all = [1, 2, 3, 4, 5].map((line) => result({ id: `e${line}`, file: "datasets/qa/v1.yaml", line, usage: usage(line, 1, 1), cost: line / 100 }));
    const shard1 = events(all.filter((_, i) => i % 2 === 0));
    const shard2 = events(all.filter((_, i) => i % 2 === 1));
    const merged = foldReport([...shard1, ...shard2]);
    const whole = foldReport(events(all));
    expect(merged.examples).toEqual(whole.examples);
    expect(merged.usage).toEqual(whole.usage);
    expect(merged.cost_usd).toBe(whole.cost_usd);
    expect(merged.counts).toEqual(whole.counts);
  });

  it("without a run-end (a crash), still folds what finished", () => {
    const report = foldReport(events([result({ id: "a", file: "datasets/qa/v1.yaml", line: 1 })], { end: false }));
    expect(report.examples).toHaveLength(1);
    expect(Date.parse(report.finished_at)).toBeGreaterThan(Date.parse(report.started_at));
  });
});
