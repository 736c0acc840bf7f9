import { readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Report } from "../core/report.ts";
import { InvalidReportError, createJsonReporter } from "./json.ts";
import { makeContext, makeExample, makeReport, removeTempDirs } from "./test-fixtures.ts";

afterEach(removeTempDirs);

describe("json reporter", () => {
  it("writes the report pretty-printed, and it parses back with the Report schema", async () => {
    const { ctx } = await makeContext();
    const report = makeReport([makeExample({ id: "count-companies" }), makeExample({ id: "bad", verdict: "regression" })]);

    const written = await createJsonReporter(ctx).onEnd!(report);

    const target = path.join(ctx.outDir, "report.json");
    expect(written).toEqual([target]);
    const text = await readFile(target, "utf8");
    expect(text).toContain('\n  "schema": "evalgate.report/1"');
    expect(Report.parse(JSON.parse(text))).toEqual(report);
  });

  it("replaces an existing report and leaves no temporary file behind", async () => {
    const { ctx } = await makeContext();
    await mkdir(ctx.outDir, { recursive: true });
    await writeFile(path.join(ctx.outDir, "report.json"), "stale");

    await createJsonReporter(ctx).onEnd!(makeReport([makeExample({ id: "a" })]));

    expect(await readdir(ctx.outDir)).toEqual(["report.json"]);
    expect(JSON.parse(await readFile(path.join(ctx.outDir, "report.json"), "utf8")).examples[0].id).toBe("a");
  });

  it("refuses to write a report whose envelope breaks the schema, naming the offending field", async () => {
    const { ctx } = await makeContext();
    const broken = { ...makeReport([makeExample({ id: "a" })]), duration_ms: "slow" as unknown as number };

    const attempt = createJsonReporter(ctx).onEnd!(broken);

    await expect(attempt).rejects.toBeInstanceOf(InvalidReportError);
    await expect(attempt).rejects.toThrow(/duration_ms/);
    // Nothing half-written: no report.json and no temporary file (the folder may exist).
    expect(await readdir(ctx.outDir).catch(() => [])).toEqual([]);
  });
});

describe("report.json in pieces", () => {
  it("is exactly the whole report parsed and pretty-printed, for no examples, one and several", async () => {
    const { reportJsonChunks } = await import("./json.ts");
    const { Report } = await import("../core/report.ts");
    for (const examples of [[], [makeExample({ id: "a" })], [makeExample({ id: "a" }), makeExample({ id: "b", line: 9 }), makeExample({ id: "c" })]]) {
      const report = makeReport(examples);
      expect([...reportJsonChunks(report)].join("")).toBe(`${JSON.stringify(Report.parse(report), null, 2)}\n`);
    }
  });

  it("writes rows in schema order without unknown keys, as a parse would, whatever order they were built in", async () => {
    const { reportJsonChunks } = await import("./json.ts");
    const { Report } = await import("../core/report.ts");
    const base = makeExample({ id: "a", error: { kind: "agent_error", message: "boom", hint: "look" }, description: "d" });
    // Built backwards, with a span whose error came after its attributes, an unknown key and trials.
    const shuffled = Object.fromEntries(Object.entries({
      ...base,
      spans: [{ attributes: { "gen_ai.request.model": "m" }, status: "error", error: "E: x", duration_ms: 1, start_ms: 0, kind: "llm", name: "chat m", parent_id: null, id: "s1" }],
      scores: [{ details: { missing: ["x"] }, reason: "Missing", score: 0, pass: false, name: "must_contain", extra: 1 }],
      internal_note: "not in the schema",
      trials: { baseline: undefined, expected: { pass_rate: 0.8, junk: true }, class: "flaky", pass_pow_k: { value: 0.1, at: 3 }, pass_at_k: { value: 0.9, at: 3 }, wilson: { confidence: 0.95, high: 0.9, low: 0.2 }, outcomes: ["pass", "fail"], passes: 1, k: 2 },
    }).reverse());
    const report = makeReport([shuffled as unknown as ReturnType<typeof makeExample>]);
    const text = [...reportJsonChunks(report)].join("");
    expect(text).toBe(`${JSON.stringify(Report.parse(report), null, 2)}\n`);
    expect(text).not.toContain("internal_note");
    expect(text).not.toContain("junk");
  });
});

describe("the json reporter makes each row as its result comes in", () => {
  it("writes the same file as serialising the finished report, and makes a row again once an upload added a trace_url", async () => {
    const { reportJsonChunks } = await import("./json.ts");
    const { ctx } = await makeContext();
    const report = makeReport([makeExample({ id: "a" }), makeExample({ id: "b", line: 9 }), makeExample({ id: "c", line: 3 })]);
    const reporter = createJsonReporter(ctx);
    // Results arrive in completion order; the report holds them in file order.
    for (const example of [...report.examples].reverse()) reporter.onEvent!({ type: "example-end", result: example });
    report.examples[1]!.trace_url = "https://smith.example/r/b";
    await reporter.onEnd!(report);
    const text = await readFile(path.join(ctx.outDir, "report.json"), "utf8");
    expect(text).toBe([...reportJsonChunks(report)].join(""));
    expect(text).toContain("https://smith.example/r/b");
  });
});

