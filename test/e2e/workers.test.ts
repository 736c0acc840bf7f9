import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ExampleResult, Report } from "../../core/report.ts";
import { replayThreads } from "../../runner/pool/replay-pool.ts";
import { REPO, copyFixture, editFile, readReport, runCli } from "../support/cli.ts";

/** What a verdict stands on; timings (the pipeline agent reports its own stage durations) aside. */
function judged(e: ExampleResult) {
  const untimed = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v) => (key === "duration_ms" || key.endsWith("_ms") ? undefined : v)));
  return { id: `${e.graph}@v${e.dataset_version}/${e.id}`, verdict: e.verdict, outcome: e.outcome, scores: e.scores, error: e.error ?? null, output: untimed(e.output), usage: e.usage, cost: e.cost_usd, spans: e.spans.map((s) => [s.name, s.kind, s.parent_id ?? null]) };
}

describe("replay on worker threads", () => {
  const out = mkdtempSync(join(tmpdir(), "evalgate-workers-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("gives the shipped suite exactly the verdicts, scores, reasons and traces of the main thread", async () => {
    const main = await runCli(["--workers", "0", "-r", "json", "-o", join(out, "w0")], { cwd: REPO, timeoutMs: 120_000 });
    const pooled = await runCli(["--workers", "2", "-r", "json", "-o", join(out, "w2")], { cwd: REPO, timeoutMs: 120_000 });
    expect(main.code, main.stderr).toBe(0);
    expect(pooled.code, pooled.stderr).toBe(0);
    const a = readReport(out, "w0") as Report;
    const b = readReport(out, "w2") as Report;
    expect(a.run.workers).toBeUndefined();
    expect(b.run.workers).toBe(2);
    expect(b.examples.length).toBe(81); // the shipped suite: five lead-gen graphs and refund_bot
    expect(b.examples.map(judged)).toEqual(a.examples.map(judged));
    expect(b.counts).toEqual(a.counts);
    expect(b.run.prompt_hashes).toEqual(a.run.prompt_hashes);
  });

  it("turns an example whose worker thread died into an error, never a pass", async () => {
    const dir = copyFixture("basic");
    // The agent kills its own thread: every example must be an error that says so, none lost or passed.
    editFile(dir, "agents/qa.ts", (text) => text.replace('if (input.behave === "throw")', 'if (!(await import("node:worker_threads")).isMainThread) process.exit(3);\n    if (input.behave === "throw")'));
    const run = await runCli(["--workers", "2"], { cwd: dir });
    const report = readReport(dir);
    expect(report.examples.length, run.stdout).toBe(3);
    for (const e of report.examples) {
      expect(e.outcome).toBe("error");
      expect(e.error?.message).toMatch(/the worker thread replaying it failed/);
    }
    expect(run.code).toBe(1);
  });

  it("hands examples to the threads in chunks; the main thread replays only while they start", async () => {
    const dir = copyFixture("basic");
    // The agent answers with the thread it ran on (no LLM call, so no recording is needed).
    editFile(dir, "agents/qa.ts", (text) => text.replace('if (input.behave === "throw")', 'return { answer: `[${(await import("node:worker_threads")).isMainThread ? "main" : "worker"}]` };\n    if (input.behave === "throw")'));
    const run = await runCli(["--workers", "1", "-r", "json", "-r", "console"], { cwd: dir });
    const report = readReport(dir);
    expect(report.run.workers, run.stderr).toBe(1);
    const where = report.examples.map((e) => e.output?.answer ?? e.error?.message);
    expect(where.filter((w) => w === "[worker]").length, run.stdout).toBeGreaterThanOrEqual(2);
    expect(where.every((w) => w === "[worker]" || w === "[main]"), run.stdout).toBe(true);
    expect(run.stdout).toContain("replaying on 1 worker thread(s), 2 example(s) at once on each");
    const events = readFileSync(join(dir, ".evalgate/events.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { type: string; id?: string; result?: { id: string } });
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(["run-start", "threads-started"]);
    expect(events.at(-1)?.type).toBe("run-end");
    // Each example is logged as started before its result, and exactly once.
    const order = events.map((e) => (e.type === "example-start" ? `start ${e.id}` : e.type === "example-end" ? `end ${e.result!.id}` : e.type));
    for (const id of report.examples.map((e) => e.id)) {
      expect(order.filter((o) => o === `end ${id}`)).toHaveLength(1);
      expect(order.indexOf(`start ${id}`)).toBeLessThan(order.indexOf(`end ${id}`));
    }
  });

  describe('workers: "auto" times a sample of 100 on the main thread first', () => {
    /** 1,000 examples of an agent that spins `ms` per example and answers with the thread it ran on. */
    function spinning(ms: number): string {
      const dir = copyFixture("basic");
      editFile(dir, "agents/qa.ts", (text) => text.replace('if (input.behave === "throw")', `const until = performance.now() + ${ms};\n    while (performance.now() < until);\n    return { answer: \`[\${(await import("node:worker_threads")).isMainThread ? "main" : "worker"}]\` };\n    if (input.behave === "throw")`));
      const examples = Array.from({ length: 1_000 }, (_, i) => `  - id: e${String(i + 1).padStart(4, "0")}\n    input: { question: "q${i + 1}" }\n    expect: { must_contain: ["]"] }\n    pass: true`);
      writeFileSync(join(dir, "datasets/qa/v1.yaml"), `graph: qa\nversion: 1\ndescription: spinning agent\nexamples:\n${examples.join("\n")}\n`);
      return dir;
    }
    const where = (report: Report) => report.examples.map((e) => e.output?.answer ?? e.error?.message ?? "?");

    it("starts threads for the rest when it would keep the main thread busy", async () => {
      const dir = spinning(5); // 900 more at 5 ms: 4.5 s of main-thread work
      const run = await runCli(["--workers", "auto", "-r", "json"], { cwd: dir, timeoutMs: 120_000 });
      expect(run.code, run.stderr).toBe(0);
      const report = readReport(dir);
      expect(report.examples.length).toBe(1_000);
      expect(report.run.workers).toBe(replayThreads("auto", 1_000));
      expect(where(report).slice(0, 100).every((w) => w === "[main]")).toBe(true);
      // The main thread goes on while the threads load the agents, then leaves the rest to them.
      expect(where(report).slice(100).filter((w) => w === "[worker]").length).toBeGreaterThan(450);
      expect(where(report).at(-1)).toBe("[worker]");
    });

    it("stays on the main thread when the rest is short", async () => {
      const dir = spinning(0);
      const run = await runCli(["--workers", "auto", "-r", "json"], { cwd: dir, timeoutMs: 120_000 });
      expect(run.code, run.stderr).toBe(0);
      const report = readReport(dir);
      expect(report.run.workers).toBeUndefined();
      expect(where(report).every((w) => w === "[main]")).toBe(true);
      expect(run.stdout).not.toContain("worker thread");
    });
  });

  it("considers threads for 1,000 examples or more on two cores or more, every core but one, and two at least", () => {
    expect(replayThreads("auto", 76, 4)).toBe(0);
    expect(replayThreads("auto", 999, 4)).toBe(0);
    expect(replayThreads("auto", 1_000, 4)).toBe(3);
    expect(replayThreads("auto", 10_000, 2)).toBe(1);
    expect(replayThreads("auto", 10_000, 8)).toBe(7);
    expect(replayThreads("auto", 10_000, 1)).toBe(0);
    expect(replayThreads(0, 10_000, 8)).toBe(0);
    expect(replayThreads(1, 5, 8)).toBe(1);
    expect(replayThreads(3, 5, 2)).toBe(3);
  });
});
