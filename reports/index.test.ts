import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunEvent } from "../core/report.ts";
import type { Reporter } from "../core/reporter.ts";
import { builtinReporters, createReporters, type ReporterTable } from "./index.ts";
import { makeContext, makeExample, makeReport, removeTempDirs } from "./test-fixtures.ts";

afterEach(removeTempDirs);

function replay(reporter: Reporter, events: RunEvent[]): void {
  for (const event of events) reporter.onEvent?.(event);
}

function eventsOf(report: ReturnType<typeof makeReport>): RunEvent[] {
  return [
    { type: "run-start", run: report.run, started_at: report.started_at, planned: report.examples.length, datasets: report.datasets },
    ...report.examples.map((result): RunEvent => ({ type: "example-end", result })),
    { type: "run-end", finished_at: report.finished_at },
  ];
}

describe("createReporters", () => {
  it("has a factory for every built-in name and leaves the otlp slot to the runner", () => {
    expect(Object.keys(builtinReporters).sort()).toEqual(["console", "github", "html", "json", "junit", "markdown"]);
    expect(builtinReporters.otlp).toBeUndefined();
  });

  it("fans events and onEnd out to every reporter and collects the files written, listed by the console last", async () => {
    const { ctx, stdout } = await makeContext();
    const report = makeReport([makeExample({ id: "a" }), makeExample({ id: "b", verdict: "regression" })]);
    const reporters = createReporters(["json", "junit", "markdown", "console"], ctx);

    replay(reporters, eventsOf(report));
    const files = await reporters.onEnd!(report);

    const expected = ["report.json", "junit.xml", "summary.md"].map((name) => path.join(ctx.outDir, name));
    expect(files).toEqual(expected);
    expect((await readdir(ctx.outDir)).sort()).toEqual(["junit.xml", "report.json", "summary.md"]);
    expect(stdout()).toContain("REGRESSION  admin_chat@v1 b");
    expect(stdout()).toContain("files: .evalgate/report.json, .evalgate/junit.xml, .evalgate/summary.md");
    expect(reporters.failures).toEqual([]);
  });

  it("keeps going when a reporter throws, and reports the failure once", async () => {
    const { ctx, stdout } = await makeContext();
    const seen: string[] = [];
    const table: ReporterTable = {
      ...builtinReporters,
      otlp: () => ({
        name: "otlp",
        onEvent(event) {
          seen.push(`otlp:${event.type}`);
          if (event.type === "example-end") throw new Error("collector unreachable");
        },
        async onEnd() {
          throw new Error("disk full");
        },
      }),
    };
    const report = makeReport([makeExample({ id: "a" }), makeExample({ id: "b" })]);
    const reporters = createReporters(["otlp", "json", "console"], ctx, table);

    replay(reporters, eventsOf(report));
    const files = await reporters.onEnd!(report);

    expect(seen).toEqual(["otlp:run-start", "otlp:example-end", "otlp:example-end", "otlp:run-end"]);
    expect(files).toEqual([path.join(ctx.outDir, "report.json")]);
    expect(reporters.failures).toEqual([
      { reporter: "otlp", phase: "event", message: "collector unreachable", count: 2 },
      { reporter: "otlp", phase: "end", message: "disk full", count: 1 },
    ]);
    const out = stdout();
    expect(out).toContain("ok  admin_chat@v1 b (12 ms)");
    expect(out.match(/reporter "otlp" failed while the run was in progress \(2 times\): collector unreachable/g)).toHaveLength(1);
    expect(out.match(/reporter "otlp" failed at the end of the run: disk full/g)).toHaveLength(1);
  });

  it("prints failures itself when no console reporter is there to show them", async () => {
    const { ctx, stdout } = await makeContext();
    const table: ReporterTable = {
      ...builtinReporters,
      junit: () => {
        throw new Error("cannot open junit.xml");
      },
    };
    const reporters = createReporters(["junit", "json", "otlp"], ctx, table);

    await reporters.onEnd!(makeReport([makeExample({ id: "a" })]));

    expect(stdout()).toContain('evalgate: reporter "junit" could not start: cannot open junit.xml');
    expect(stdout()).toMatch(/reporter "otlp" could not start: no factory is registered for "otlp"/);
    expect(await readdir(ctx.outDir)).toEqual(["report.json"]);
  });

  it("still prints the summary's failures when the console itself fails at the end", async () => {
    const { ctx, stdout } = await makeContext();
    const table: ReporterTable = {
      ...builtinReporters,
      console: () => ({
        name: "console",
        closing: true,
        async onEnd() {
          throw new Error("stdout closed");
        },
      }) as Reporter,
    };
    const reporters = createReporters(["console", "json"], ctx, table);

    await reporters.onEnd!(makeReport([makeExample({ id: "a" })]));

    expect(stdout()).toContain('evalgate: reporter "console" failed at the end of the run: stdout closed');
  });

  it("uses the runner's command in the reproduce commands it prints", async () => {
    const { ctx: base, stdout } = await makeContext();
    const reporters = createReporters(["console", "junit"], { ...base, command: "npx evalgate" });

    await reporters.onEnd!(makeReport([makeExample({ id: "x", verdict: "regression", dataset_version: 2 })]));

    expect(stdout()).toContain("reproduce: npx evalgate --graph admin_chat --dataset-version 2 --example x");
    expect(await readFile(path.join(base.outDir, "junit.xml"), "utf8")).toContain("reproduce: npx evalgate --graph admin_chat --dataset-version 2 --example x");
  });

  it("creates each named reporter once even when the config repeats it", async () => {
    const { ctx } = await makeContext();
    const reporters = createReporters(["json", "json", "console"], ctx);

    expect(reporters.reporters.map((r) => r.name)).toEqual(["json", "console"]);
  });
});
