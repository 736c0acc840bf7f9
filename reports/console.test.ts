import { afterEach, describe, expect, it, vi } from "vitest";
import type { ExampleResult, Report } from "../core/report.ts";
import type { ReporterContext } from "../core/reporter.ts";
import { createConsoleReporter, terminalText } from "./console.ts";
import type { RunOutputs } from "./closing-reporter.ts";
import { captureStream, makeExample, makeReport, makeScore } from "./test-fixtures.ts";

afterEach(() => {
  vi.useRealTimers();
});

const ANSI = /\u001B\[/;

function terminal(options: { isTTY: boolean; env?: NodeJS.ProcessEnv; columns?: number }) {
  const capture = captureStream({ isTTY: options.isTTY, columns: options.columns ?? 100 });
  const ctx: ReporterContext = { outDir: "/repo/.evalgate", rootDir: "/repo", env: options.env ?? {}, stdout: capture.stream };
  return { ctx, output: capture.text };
}

async function run(ctx: ReporterContext, report: Report, outputs?: RunOutputs, throttleMs = 0): Promise<void> {
  const reporter = createConsoleReporter(ctx, { throttleMs });
  reporter.onEvent!({ type: "run-start", run: report.run, started_at: report.started_at, planned: report.examples.length, datasets: report.datasets });
  for (const result of report.examples) {
    reporter.onEvent!({ type: "example-start", graph: result.graph, dataset_version: result.dataset_version, id: result.id });
    reporter.onEvent!({ type: "example-end", result });
  }
  reporter.onEvent!({ type: "run-end", finished_at: report.finished_at });
  await reporter.onEnd(report, outputs);
}

function sampleExamples(): ExampleResult[] {
  return [
    makeExample({ id: "count-companies", duration_ms: 12 }),
    makeExample({
      id: "list-leads",
      verdict: "regression",
      line: 27,
      scores: [makeScore("must_contain", false, 'Missing: ["Acme"]'), makeScore("must_not_contain", true, "None present")],
    }),
    makeExample({
      id: "tool-crash",
      verdict: "regression",
      outcome: "error",
      line: 40,
      scores: [],
      output: null,
      error: { kind: "ReplayMiss", message: "request 2 has no recording", hint: "pnpm eval --record --graph admin_chat --example tool-crash" },
    }),
    makeExample({ id: "now-works", verdict: "fixed", line: 50 }),
    makeExample({ id: "still-broken", verdict: "known_failure", line: 60 }),
  ];
}

describe("console reporter in CI or on a pipe", () => {
  it("prints one plain line per finished example and no redraws, even on a terminal", async () => {
    const { ctx, output } = terminal({ isTTY: true, env: { CI: "true", NO_COLOR: "1" } });
    await run(ctx, makeReport(sampleExamples()));
    const lines = output().split("\n");

    expect(output()).not.toMatch(ANSI);
    expect(output()).not.toContain("\r");
    expect(lines[0]).toBe("evalgate: running 5 example(s) from 1 dataset(s) (replay mode, concurrency 4)");
    expect(lines[1]).toBe("ok  admin_chat@v1 count-companies (12 ms)");
    expect(lines[2]).toBe('REGRESSION  admin_chat@v1 list-leads (12 ms): must_contain: Missing: ["Acme"]');
    expect(lines[3]).toBe("REGRESSION  admin_chat@v1 tool-crash (12 ms): ReplayMiss: request 2 has no recording");
    expect(lines[4]).toBe("FIXED  admin_chat@v1 now-works (12 ms)");
    expect(lines[5]).toBe("known-failure  admin_chat@v1 still-broken (12 ms)");
  });

  it("uses the same plain lines when stdout is not a terminal, even without CI", async () => {
    const { ctx, output } = terminal({ isTTY: false });
    await run(ctx, makeReport([makeExample({ id: "a" })]));

    expect(output()).toContain("ok  admin_chat@v1 a (12 ms)\n");
    expect(output()).not.toContain("\r");
    expect(output()).not.toMatch(ANSI);
  });

  it("names a known failure that errored for what it is, in the heading and in its block", async () => {
    const { ctx, output } = terminal({ isTTY: false });
    const crashed = makeExample({
      id: "crashed-known",
      verdict: "regression",
      expected_pass: false,
      outcome: "error",
      line: 70,
      scores: [],
      output: null,
      error: { kind: "agent_error", message: "Error: boom" },
      verdict_note: "marked pass: false, but it errored instead of failing its checks; an error proves nothing about the known failure",
    });
    await run(ctx, makeReport([...sampleExamples(), crashed]));
    expect(output()).toContain("Regressions (3): expected to pass and did not, or a known failure that errored or failed another check");
    expect(output()).toContain("    why: marked pass: false, but it errored instead of failing its checks");
    // Only regressions of examples expected to pass: the plain heading.
    const plain = terminal({ isTTY: false });
    await run(plain.ctx, makeReport(sampleExamples()));
    expect(plain.output()).toContain("Regressions (2): expected to pass, did not");
  });

  it("closes with a block per regression: location, reasons, error, hint and the command to reproduce", async () => {
    const { ctx, output } = terminal({ isTTY: false });
    await run(ctx, makeReport(sampleExamples()), { files: ["/repo/.evalgate/report.json", "/tmp/step-summary.md"], failures: [] });
    const text = output();

    expect(text).toContain(
      [
        "  ✗ admin_chat@v1 list-leads",
        "    datasets/admin_chat/v1.yaml:27",
        '    must_contain: Missing: ["Acme"]',
        "    reproduce: pnpm eval --graph admin_chat --dataset-version 1 --example list-leads",
      ].join("\n"),
    );
    expect(text).toContain(
      [
        "  ✗ admin_chat@v1 tool-crash",
        "    datasets/admin_chat/v1.yaml:40",
        "    error: ReplayMiss: request 2 has no recording",
        "    hint: pnpm eval --record --graph admin_chat --example tool-crash",
        "    reproduce: pnpm eval --graph admin_chat --dataset-version 1 --example tool-crash",
      ].join("\n"),
    );
    expect(text).not.toContain("None present");
    expect(text).toContain("  ! admin_chat@v1 now-works  datasets/admin_chat/v1.yaml:50");
    expect(text).toContain("evalgate: gate FAILED (exit 1)");
    expect(text).toContain("  5 examples: 2 regressions, 1 fixed, 1 known failure, 1 ok");
    expect(text).toMatch(/600 tokens \(500 in \/ 100 out, 10 LLM calls, recorded\) · cost \$0\.0005 · wall 4\.2 s · replay mode/);
    expect(text).toContain("  files: .evalgate/report.json, /tmp/step-summary.md");
  });

  it("writes the lines of many finished examples together, in order, one system call for many", async () => {
    const capture = captureStream({ isTTY: false });
    const writes = vi.spyOn(capture.stream, "write");
    const ctx: ReporterContext = { outDir: "/repo/.evalgate", rootDir: "/repo", env: {}, stdout: capture.stream };
    const examples = Array.from({ length: 2000 }, (_, i) => makeExample({ id: `case-${i}` }));
    await run(ctx, makeReport(examples));
    const lines = capture.text().split("\n");

    expect(lines.slice(1, 2001)).toEqual(examples.map((e) => `ok  admin_chat@v1 ${e.id} (12 ms)`));
    // The start line, the examples' lines in a few pieces, the closing summary.
    expect(writes.mock.calls.length).toBeLessThan(20);
  });

  it("holds a finished example's line no longer than 100 ms, and writes it before anything else", async () => {
    vi.useFakeTimers();
    const { ctx, output } = terminal({ isTTY: false });
    const report = makeReport([makeExample({ id: "a" }), makeExample({ id: "b" })]);
    const reporter = createConsoleReporter(ctx, { throttleMs: 0 });
    reporter.onEvent!({ type: "run-start", run: report.run, started_at: report.started_at, planned: 2, datasets: report.datasets });
    reporter.onEvent!({ type: "example-end", result: report.examples[0]! });
    vi.advanceTimersByTime(99);
    expect(output()).not.toContain(" a (12 ms)");
    vi.advanceTimersByTime(1);
    expect(output()).toContain("ok  admin_chat@v1 a (12 ms)\n");
    reporter.onEvent!({ type: "example-end", result: report.examples[1]! });
    reporter.onEvent!({ type: "threads-started", workers: 2, per_thread: 4 });
    expect(output()).toMatch(/ b \(12 ms\)\nevalgate: replaying on 2 worker thread/);
  });

  it("lists reporters that failed", async () => {
    const { ctx, output } = terminal({ isTTY: false });
    await run(ctx, makeReport([makeExample({ id: "a" })]), {
      files: [],
      failures: [{ reporter: "junit", phase: "end", message: "EACCES: permission denied", count: 1 }],
    });

    expect(output()).toContain('evalgate: reporter "junit" failed at the end of the run: EACCES: permission denied');
  });
});

describe("console reporter on a terminal", () => {
  it("redraws one progress line in place and keeps regressions on screen", async () => {
    const { ctx, output } = terminal({ isTTY: true, env: { NO_COLOR: "1" } });
    await run(ctx, makeReport(sampleExamples()));
    const text = output();

    expect(text).toContain("\r[1/5] ✓ 1 ✗ 0 ! 0 ~ 0  admin_chat@v1 count-companies");
    expect(text).toContain("\r[5/5] ✓ 1 ✗ 2 ! 1 ~ 1  admin_chat@v1 still-broken");
    // A regression is printed as its own line, not only counted in the progress line.
    expect(text).toMatch(/\r +\rREGRESSION  admin_chat@v1 list-leads \(12 ms\): must_contain/);
    expect(text).not.toContain("ok  admin_chat@v1 count-companies (12 ms)\n");
    expect(text).not.toMatch(ANSI);
  });

  it("treats CI=false as not CI", async () => {
    const { ctx, output } = terminal({ isTTY: true, env: { CI: "false", NO_COLOR: "1" } });
    await run(ctx, makeReport([makeExample({ id: "a" })]));

    expect(output()).toContain("\r[1/1] ✓ 1");
  });

  it("colours output on a terminal unless NO_COLOR is set", async () => {
    const { ctx, output } = terminal({ isTTY: true });
    await run(ctx, makeReport(sampleExamples()));

    expect(output()).toMatch(ANSI);
    expect(output()).toContain("\u001B[31mREGRESSION\u001B[39m");
  });

  it("throttles redraws and draws the latest state once the interval has passed", async () => {
    vi.useFakeTimers();
    const { ctx, output } = terminal({ isTTY: true, env: { NO_COLOR: "1" } });
    const reporter = createConsoleReporter(ctx, { throttleMs: 100 });
    const report = makeReport(["a", "b", "c"].map((id) => makeExample({ id })));
    reporter.onEvent!({ type: "run-start", run: report.run, started_at: report.started_at, planned: 3, datasets: report.datasets });
    for (const result of report.examples) reporter.onEvent!({ type: "example-end", result });

    expect(output().match(/\r\[/g)).toHaveLength(1);
    expect(output()).toContain("[1/3]");

    vi.advanceTimersByTime(100);

    expect(output().match(/\r\[/g)).toHaveLength(2);
    expect(output()).toContain("[3/3] ✓ 3 ✗ 0 ! 0 ~ 0  admin_chat@v1 c");
    expect(output()).not.toContain("[2/3]");
  });

  it("fits the progress line within the terminal width", async () => {
    const { ctx, output } = terminal({ isTTY: true, env: { NO_COLOR: "1" }, columns: 40 });
    await run(ctx, makeReport([makeExample({ id: "a-very-long-example-identifier-that-overflows" })]));
    const progress = output().split("\r").find((chunk) => chunk.startsWith("[1/1]"))!;

    expect(Array.from(progress.trimEnd()).length).toBeLessThanOrEqual(39);
    expect(progress.trimEnd().endsWith("…")).toBe(true);
  });
});

describe("terminal text", () => {
  it("neutralises escape sequences and indents continuation lines so none starts a workflow command", () => {
    expect(terminalText("red \u001B[31m\r\n::error::x", "    ")).toBe("red \\x1b[31m\n    ::error::x");
  });
});
