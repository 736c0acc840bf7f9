import { mkdtempSync, rmSync } from "node:fs";
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

  it("runs examples on the main thread too once the threads are full", async () => {
    const dir = copyFixture("basic");
    // The agent answers with the thread it ran on (no LLM call, so no recording is needed).
    editFile(dir, "agents/qa.ts", (text) => text.replace('if (input.behave === "throw")', 'return { answer: `[${(await import("node:worker_threads")).isMainThread ? "main" : "worker"}]` };\n    if (input.behave === "throw")'));
    // One thread with room for one example: the first goes to it, the second to the main thread.
    const run = await runCli(["--workers", "1", "-j", "2", "-r", "json"], { cwd: dir });
    const report = readReport(dir);
    expect(report.run.workers, run.stderr).toBe(1);
    expect(report.examples.length).toBe(3);
    const where = report.examples.map((e) => e.output?.answer ?? e.error?.message);
    expect(new Set(where), run.stdout).toEqual(new Set(["[main]", "[worker]"]));
  });

  it("starts threads only when the run pays for them, leaving the main thread two cores", () => {
    expect(replayThreads("auto", 76, 4)).toBe(0);
    expect(replayThreads("auto", 999, 4)).toBe(0);
    expect(replayThreads("auto", 1_000, 4)).toBe(1);
    expect(replayThreads("auto", 10_000, 4)).toBe(2);
    expect(replayThreads("auto", 10_000, 2)).toBe(0);
    expect(replayThreads("auto", 10_000, 8)).toBe(6);
    expect(replayThreads("auto", 3_000, 8)).toBe(3);
    expect(replayThreads("auto", 10_000, 1)).toBe(0);
    expect(replayThreads(0, 10_000, 8)).toBe(0);
    expect(replayThreads(1, 5, 8)).toBe(1);
    expect(replayThreads(3, 5, 2)).toBe(3);
  });
});
