import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MARKDOWN_LIMITS, createMarkdownReporter, renderMarkdownSummary } from "./markdown.ts";
import { makeContext, makeExample, makeReport, makeScore, removeTempDirs } from "./test-fixtures.ts";

afterEach(removeTempDirs);

const ctx = { rootDir: "/repo", env: {} };

/** Body rows of the first table after `heading` (header and delimiter rows dropped). */
function tableRows(markdown: string, heading: string): string[] {
  const lines = (markdown.split(heading)[1] ?? "").split("\n");
  const start = lines.findIndex((line) => line.startsWith("| "));
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && !line.startsWith("| "));
  return lines.slice(start + 2, end < 0 ? undefined : end);
}

/** Splits a GFM table row on unescaped pipes. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
}

describe("markdown summary", () => {
  it("headlines the gate, counts, tokens, cost, wall time and mode", () => {
    const report = makeReport([makeExample({ id: "a" }), makeExample({ id: "b", verdict: "regression" })]);
    const markdown = renderMarkdownSummary(report, ctx);
    const [title, , counts, , facts] = markdown.split("\n");

    expect(title).toBe("## ❌ evalgate: gate failed");
    expect(counts).toContain("2 examples: 1 regression, 0 fixed, 0 known failures, 1 ok");
    expect(facts).toContain("240 tokens");
    expect(facts).toContain("cost $0.0002");
    expect(facts).toContain("wall 4.2 s");
    expect(facts).toContain("replay mode");
    expect(renderMarkdownSummary(makeReport([makeExample({ id: "a" })]), ctx)).toMatch(/^## ✅ evalgate: gate passed/);
  });

  it("lists regressions, then fixed examples, each with dataset, id, file:line and reasons", () => {
    const report = makeReport([
      makeExample({ id: "now-works", verdict: "fixed", line: 3 }),
      makeExample({ id: "ok-one", line: 1 }),
      makeExample({
        id: "count-companies",
        verdict: "regression",
        line: 12,
        scores: [makeScore("must_contain", false, 'Missing: ["2607"]'), makeScore("max_steps", false, "6 steps > 4")],
      }),
    ]);
    const rows = tableRows(renderMarkdownSummary(report, ctx), "### Regressions and fixed examples").map(cells);

    expect(rows).toHaveLength(2);
    expect(rows[0]!.slice(0, 4)).toEqual(["❌ regression", "admin\\_chat@v1", "count-companies", "datasets/admin\\_chat/v1.yaml:12"]);
    expect(rows[0]![4]).toBe('must\\_contain: Missing: \\["2607"\\]<br>max\\_steps: 6 steps &gt; 4');
    expect(rows[1]!.slice(0, 4)).toEqual(["⚠️ fixed", "admin\\_chat@v1", "now-works", "datasets/admin\\_chat/v1.yaml:3"]);
    expect(rows[1]![4]).toContain("flip it to pass: true");
  });

  it("links the id to its trace and file:line to GitHub when the environment allows", () => {
    const env = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/agents", GITHUB_WORKSPACE: "/repo" };
    const report = makeReport([
      makeExample({ id: "count-companies", verdict: "regression", line: 12, trace_url: "https://smith.example/r/1" }),
    ]);
    const [row] = tableRows(renderMarkdownSummary(report, { rootDir: "/repo/evals", env }), "### Regressions").map(cells);

    expect(row![2]).toBe("[count-companies](https://smith.example/r/1)");
    expect(row![3]).toBe(
      "[evals/datasets/admin\\_chat/v1.yaml:12](https://github.com/acme/agents/blob/0123456789abcdef0123456789abcdef01234567/evals/datasets/admin_chat/v1.yaml#L12)",
    );
  });

  it("keeps untrusted text inside its cell and truncates long answers", () => {
    const longAnswer = `${"x".repeat(1000)} | <script>alert(1)</script>\nnext line`;
    const report = makeReport([
      makeExample({
        id: "pipes",
        verdict: "regression",
        output: { answer: longAnswer },
        scores: [makeScore("regex", false, "expected a|b\nbut got <none>")],
      }),
    ]);
    const markdown = renderMarkdownSummary(report, ctx);
    const [row] = tableRows(markdown, "### Regressions").map(cells);

    expect(row).toHaveLength(6);
    expect(row![4]).toBe("regex: expected a\\|b but got &lt;none&gt;");
    expect(Array.from(row![5]!).length).toBe(MARKDOWN_LIMITS.answerChars);
    expect(row![5]!.endsWith("…")).toBe(true);
    expect(markdown).not.toContain("<script>");
  });

  it("prints the reproduce command for regressions and a compact per-dataset table", () => {
    const report = makeReport([
      makeExample({ id: "count-companies", verdict: "regression" }),
      makeExample({ id: "a" }),
      makeExample({ id: "b", verdict: "known_failure" }),
      makeExample({ id: "c", graph: "lead_scoring", file: "datasets/lead_scoring/v3.yaml", dataset_version: 3, cost_usd: null }),
    ]);
    const markdown = renderMarkdownSummary(report, ctx);

    expect(markdown).toContain("```sh\npnpm eval --graph admin_chat --dataset-version 1 --example count-companies\n```");
    const datasets = tableRows(markdown, "### Datasets").map(cells);
    expect(datasets[0]!.slice(0, 6)).toEqual(["admin\\_chat@v1", "3", "1", "1", "0", "1"]);
    expect(datasets[0]![6]).toBe("360");
    expect(datasets[1]!.slice(0, 2)).toEqual(["lead\\_scoring@v3", "1"]);
    expect(datasets[1]![7]).toBe("n/a");
    expect(markdown).toMatch(/<details><summary>1 known failure\(s\): marked pass: false, expected, not failing the gate<\/summary>/);
  });

  it("caps the regression table so the summary stays reviewable", () => {
    const many = Array.from({ length: MARKDOWN_LIMITS.attentionRows + 7 }, (_, i) =>
      makeExample({ id: `r${i}`, verdict: "regression", line: i + 1 }),
    );
    const markdown = renderMarkdownSummary(makeReport(many), ctx);

    expect(tableRows(markdown, "### Regressions").filter((row) => row.includes("regression"))).toHaveLength(MARKDOWN_LIMITS.attentionRows);
    expect(markdown).toContain("… and 7 more; see report.json.");
  });

  it("writes summary.md into the output directory", async () => {
    const { ctx: context } = await makeContext();
    const report = makeReport([makeExample({ id: "a", verdict: "regression" })]);

    const written = await createMarkdownReporter(context).onEnd!(report);

    expect(written).toEqual([path.join(context.outDir, "summary.md")]);
    expect(await readFile(path.join(context.outDir, "summary.md"), "utf8")).toBe(renderMarkdownSummary(report, context));
  });
});
