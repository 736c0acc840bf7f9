import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  ANNOTATIONS_PER_LEVEL,
  createGithubReporter,
  escapeCommandData,
  escapeCommandProperty,
  renderAnnotations,
} from "./github.ts";
import { renderMarkdownSummary } from "./markdown.ts";
import { makeContext, makeExample, makeReport, makeScore, removeTempDirs } from "./test-fixtures.ts";

afterEach(removeTempDirs);

const ctx = { rootDir: "/repo", env: { GITHUB_ACTIONS: "true" } };

describe("workflow-command escaping", () => {
  it("escapes %, CR and LF in data, and also , and : in properties", () => {
    expect(escapeCommandData("50% done\r\nnext: a,b")).toBe("50%25 done%0D%0Anext: a,b");
    expect(escapeCommandProperty("50% done\r\nnext: a,b")).toBe("50%25 done%0D%0Anext%3A a%2Cb");
    // Escaping % first is what keeps an existing "%0A" literal from turning into a newline.
    expect(escapeCommandData("literal %0A")).toBe("literal %250A");
  });
});

describe("github annotations", () => {
  it("emits one ::error per regression with file, line and a graph@vN id title", () => {
    const report = makeReport([
      makeExample({
        id: "count-companies",
        verdict: "regression",
        line: 12,
        scores: [makeScore("must_contain", false, 'Missing: ["2607"]'), makeScore("max_steps", false, "6 steps > 4")],
      }),
      makeExample({ id: "fine" }),
      makeExample({ id: "expected", verdict: "known_failure" }),
    ]);

    expect(renderAnnotations(report, ctx)).toEqual([
      "::error file=datasets/admin_chat/v1.yaml,line=12,title=admin_chat@v1 count-companies regression::" +
        'must_contain: Missing: ["2607"]%0Amax_steps: 6 steps > 4%0Areproduce: pnpm eval --graph admin_chat --dataset-version 1 --example count-companies',
    ]);
  });

  it("warns for fixed examples, since --strict fails on them", () => {
    const [line] = renderAnnotations(makeReport([makeExample({ id: "now-works", verdict: "fixed", line: 7 })]), ctx);

    expect(line).toMatch(/^::warning file=datasets\/admin_chat\/v1\.yaml,line=7,title=admin_chat@v1 now-works fixed::/);
    expect(line).toContain("flip it to pass: true");
  });

  it("escapes separators in properties and newlines and percent signs in the message", () => {
    const report = makeReport([
      makeExample({
        id: "a,b:c",
        file: "datasets/odd,name:x/v1.yaml",
        verdict: "regression",
        scores: [makeScore("regex", false, "100% wrong\nline two\r\n::set-env name=X::1")],
      }),
    ]);
    const [line] = renderAnnotations(report, ctx);

    expect(line).toBe(
      "::error file=datasets/odd%2Cname%3Ax/v1.yaml,line=10,title=admin_chat@v1 a%2Cb%3Ac regression::" +
        "regex: 100%25 wrong%0Aline two%0D%0A::set-env name=X::1%0Areproduce: pnpm eval --graph admin_chat --dataset-version 1 --example a,b:c",
    );
    expect(line!.split("\n")).toHaveLength(1);
  });

  it("annotates files relative to the checkout when evalgate runs in a sub-folder", () => {
    const report = makeReport([makeExample({ id: "x", verdict: "regression" })]);
    const [line] = renderAnnotations(report, { rootDir: "/work/repo/evals", env: { GITHUB_WORKSPACE: "/work/repo" } });

    expect(line).toContain("file=evals/datasets/admin_chat/v1.yaml,");
  });

  it("stops at GitHub's per-step limit and says how many were left out", () => {
    const many = Array.from({ length: ANNOTATIONS_PER_LEVEL + 3 }, (_, i) => makeExample({ id: `r${i}`, verdict: "regression", line: i + 1 }));
    const lines = renderAnnotations(makeReport(many), ctx);

    expect(lines.filter((l) => l.startsWith("::error "))).toHaveLength(ANNOTATIONS_PER_LEVEL);
    expect(lines.at(-1)).toMatch(/^::notice title=evalgate%3A 3 more regression example\(s\) not annotated::/);
  });
});

describe("github reporter", () => {
  it("does nothing outside GitHub Actions", async () => {
    const { ctx: context, stdout } = await makeContext({ env: { GITHUB_ACTIONS: "false", GITHUB_STEP_SUMMARY: "/nonexistent/x" } });
    const reporter = createGithubReporter(context);

    expect(reporter.onEnd).toBeUndefined();
    expect(stdout()).toBe("");
  });

  it("prints annotations and appends the markdown summary to GITHUB_STEP_SUMMARY", async () => {
    const { ctx: base, stdout } = await makeContext();
    const summaryFile = path.join(base.rootDir, "step-summary.md");
    await writeFile(summaryFile, "previous step output\n");
    const context = { ...base, env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summaryFile } };
    const report = makeReport([makeExample({ id: "count-companies", verdict: "regression", line: 12 })]);

    const written = await createGithubReporter(context).onEnd!(report);

    expect(written).toEqual([summaryFile]);
    expect(stdout()).toBe(`${renderAnnotations(report, context).join("\n")}\n`);
    expect(stdout()).toMatch(/^::error file=datasets\/admin_chat\/v1\.yaml,line=12,/);
    const summary = await readFile(summaryFile, "utf8");
    expect(summary).toBe(`previous step output\n${renderMarkdownSummary(report, context)}\n`);
  });

  it("prints annotations without a step summary file when GITHUB_STEP_SUMMARY is unset", async () => {
    const { ctx: base, stdout } = await makeContext();
    const context = { ...base, env: { GITHUB_ACTIONS: "true" } };

    const written = await createGithubReporter(context).onEnd!(makeReport([makeExample({ id: "x", verdict: "fixed" })]));

    expect(written).toEqual([]);
    expect(stdout()).toMatch(/^::warning /);
  });
});
