import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Comparison, COMPARE_SCHEMA, type ExampleChange } from "../core/compare.ts";
import { EvalConfig } from "../core/config.ts";
import type { ExampleResult } from "../core/report.ts";
import evalConfig from "../eval.config.ts";
import { HTML_REPORT_FILE, createHtmlReporter, renderHtmlReport, writeHtmlReport } from "./html.ts";
import { CLIENT_SCRIPT } from "./html/client.ts";
import type { HtmlData } from "./html/model.ts";
import { builtinReporters } from "./index.ts";
import { makeContext, makeExample, makeManyExamples, makeReport, makeScore, makeTraceSpans, removeTempDirs } from "./test-fixtures.ts";

afterEach(removeTempDirs);

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
/** A loaded CI machine may take a while to re-render 10,000 rows; the page is still correct. */
const POLL = { timeout: 10_000 };
const TRACE_URL = "https://smith.langchain.com/o/acme/projects/p/r/run-42?poll=true";

function embeddedData(html: string): HtmlData {
  const match = /<script type="application\/json" id="evalgate-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error("no embedded data");
  return JSON.parse(match[1]!) as HtmlData;
}

function failing(id: string, overrides: Partial<ExampleResult> = {}): ExampleResult {
  return makeExample({
    id,
    verdict: "regression",
    scores: [makeScore("must_contain", false, 'Missing: ["2607"]'), makeScore("budgets", true, "steps 2 ≤ 4")],
    spans: makeTraceSpans({ answer: "I could not find that." }),
    ...overrides,
  });
}

/** Every shape the page must cope with: each verdict, an error, a tool error, a trace link, hostile text. */
function sampleReport() {
  return makeReport(
    [
      makeExample({ id: "count-companies", tags: ["smoke", "counts"], spans: makeTraceSpans(), expect: { must_contain: ["2607"], must_not_contain: ["I don't know"] } }),
      failing("wrong-count", {
        line: 40,
        tags: ["counts"],
        output: { answer: "There are about 3,100 companies; I don't know the exact figure." },
        expect: { must_contain: ["2607"], must_not_contain: ["3,100", "I don’t know"] },
        scores: [makeScore("must_contain", false, 'Missing: ["2607"]'), makeScore("must_not_contain", false, 'Forbidden "3,100" at 16: "There are about 3,100 companies"')],
        spans: makeTraceSpans({ answer: "There are about 3,100 companies." }),
        trace_url: TRACE_URL,
      }),
      failing("replay-miss", {
        line: 52,
        outcome: "error",
        output: null,
        error: { kind: "replay_miss", message: "LLM call #2 has no recording", hint: "re-record only this example" },
        scores: [],
        spans: makeTraceSpans({ toolError: 'relation "segments" does not exist' }),
      }),
      makeExample({ id: "still-hallucinates", verdict: "known_failure", line: 64, tags: ["hallucination"], spans: makeTraceSpans() }),
      makeExample({ id: "now-fixed", verdict: "fixed", line: 76, spans: makeTraceSpans() }),
      makeExample({ id: "script-injection", line: 88, output: { answer: 'Done </script><script>window.pwned = 1</script> <!-- <img src=x onerror="window.pwned=2"> https://evil.example/x.js' } }),
      makeExample({ id: "second-version", dataset_version: 2, file: "datasets/admin_chat/v2.yaml", line: 8, tags: ["smoke"] }),
      makeExample({ id: "search-graph", graph: "agentic_search", file: "datasets/agentic_search/v1.yaml", line: 12, output: { answer: "The router lives in backend/router.py:42." } }),
    ],
    { langsmith: { uploaded: true, experiment_url: "https://smith.langchain.com/o/acme/datasets/d/compare?selectedSessions=s1" } },
  );
}

describe("html report: the file", () => {
  it("is on by default: a built-in reporter, in the default reporters and in this repo's eval.config.ts", () => {
    expect(builtinReporters.html).toBe(createHtmlReporter);
    const defaults = EvalConfig.parse({ graphs: { qa: "./agent.ts" }, llm: { model: "m", baseURL: "http://127.0.0.1:1/v1", apiKeyEnv: "KEY" } });
    expect(defaults.reporters).toContain("html");
    expect(evalConfig.reporters).toContain("html");
  });

  it("writes <outDir>/report.html through writeFileAtomic and returns its path", async () => {
    const { ctx } = await makeContext();
    const files = await createHtmlReporter({ ...ctx, command: "node cli/bin.ts" }).onEnd!(sampleReport());
    expect(files).toEqual([path.join(ctx.outDir, HTML_REPORT_FILE)]);
    const html = await readFile(files![0]!, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    const wrong = embeddedData(html).examples.find((e) => e.id === "wrong-count")!;
    expect(wrong.reproduce).toBe("node cli/bin.ts --graph admin_chat --dataset-version 1 --example wrong-count");
    expect(await readFile(await writeHtmlReport(ctx.outDir, sampleReport()), "utf8")).toContain("evalgate-data");
  });

  it("is self-contained: no external script, style, font or image, and no http(s) reference even with trace URLs", () => {
    const html = renderHtmlReport(sampleReport());
    expect(html).toContain("smith.langchain.com");
    expect(/https?:\/\//.test(html)).toBe(false);
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|@import|\burl\(/i);
    expect(html).not.toMatch(/<script\b[^>]*\bsrc=/i);
    expect(html).toContain("default-src 'none'");
  });

  it("allows exactly its own script and stylesheet in the content security policy", () => {
    const html = renderHtmlReport(sampleReport());
    const sha = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(html).toContain(`script-src ${sha(script)}`);
    expect(html).toContain(`style-src ${sha(style)}`);
    expect(() => new Function(CLIENT_SCRIPT)).not.toThrow();
  });

  it("embeds every example, with its recording file and the command that re-records it", () => {
    const report = makeReport(makeManyExamples(250));
    const data = embeddedData(renderHtmlReport(report));
    expect(data.examples.map((e) => e.key).sort()).toEqual(report.examples.map((e) => `${e.graph}@v${e.dataset_version}/${e.id}`).sort());
    const source = report.examples[3]!;
    const one = data.examples.find((e) => e.id === source.id)!;
    expect(one.recording).toBe(`datasets/${source.graph}/recordings/v${source.dataset_version}/${source.id}.json`);
    expect(one.rerecord).toBe(`pnpm eval --record --stale --graph ${source.graph} --dataset-version ${source.dataset_version} --example ${source.id}`);
    expect(data.examples[0]!.verdict).toBe("regression");
    // The run's own command wins: the one the console printed (scripted replies when the dataset has them).
    report.examples[3]!.rerecord_command = "pnpm eval --record --replies --stale --graph g --dataset-version 1 --example x";
    expect(embeddedData(renderHtmlReport(report)).examples.find((e) => e.id === source.id)!.rerecord).toBe("pnpm eval --record --replies --stale --graph g --dataset-version 1 --example x");
  });

  it("keeps </script>, <!-- and markup inside answers as data", () => {
    const report = sampleReport();
    const html = renderHtmlReport(report);
    expect(html.match(/<\/script>/gi)).toHaveLength(2);
    expect(html).not.toContain("<!-- <img");
    const answer = embeddedData(html).examples.find((e) => e.id === "script-injection")!.answer;
    expect(answer).toBe(report.examples.find((e) => e.id === "script-injection")!.output!.answer);
  });

  it("stores each prompt once, however many calls and examples resend it", () => {
    const data = embeddedData(renderHtmlReport(makeReport(makeManyExamples(100))));
    const systemPrompts = data.strings.filter((s) => s.startsWith("You answer questions about the lead-gen"));
    expect(systemPrompts).toHaveLength(1);
    const llm = data.examples[0]!.spans.find((s) => s.kind === "llm")!;
    expect(data.strings[llm.prompt![0]!.content]).toBe(systemPrompts[0]);
    expect(llm).toMatchObject({ input_tokens: 60, output_tokens: 10, recorded: true, model: "gpt-4o-mini" });
  });
});

/** A comparison built by hand to the compare.json schema: one verdict change, one unchanged, one added, one removed. */
function sampleComparison(): { report: ReturnType<typeof makeReport>; comparison: Comparison } {
  const report = makeReport([
    failing("drifted-answer", { output: { answer: "There are 2,600 companies in the database." }, spans: makeTraceSpans({ answer: "There are 2,600 companies in the database." }) }),
    makeExample({ id: "steady", line: 20, spans: makeTraceSpans() }),
    makeExample({ id: "brand-new", line: 30, spans: makeTraceSpans() }),
  ]);
  const usage = (steps: number, tokens: number, cost: number) => ({ steps, tokens, cost_usd: cost });
  const base = (overrides: Partial<ExampleChange> & Pick<ExampleChange, "id" | "status">): ExampleChange => ({
    graph: "admin_chat",
    dataset_version: 1,
    file: "datasets/admin_chat/v1.yaml",
    line: 10,
    tags: [],
    base_verdict: "ok",
    head_verdict: "ok",
    changed: [],
    checks: [],
    answer: { base: "There are 2607 companies.", head: "There are 2607 companies.", diff: [{ op: "equal", text: "There are 2607 companies." }] },
    data_diff: null,
    tools: { base: ["count_rows"], head: ["count_rows"] },
    usage: { base: usage(2, 120, 0.0001), head: usage(2, 120, 0.0001) },
    requests: [{ call: 1, status: "same", explanation: [] }],
    error: { base: null, head: null },
    ...overrides,
  });
  const comparison = Comparison.parse({
    schema: COMPARE_SCHEMA,
    created_at: "2025-01-02T00:00:00.000Z",
    base: { source: "git", label: "origin/main", sha: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", branch: "main", mode: "replay", request_fingerprints: {} },
    head: { source: "run", label: "this run", sha: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", branch: "feature", mode: "replay", request_fingerprints: {} },
    gate: { passed: false, exit_code: 1, reason: "1 example(s) expected to pass did not" },
    datasets: [{ graph: "admin_chat", version: 1, status: "both" }],
    counts: { changed: 1, unchanged: 1, added: 1, removed: 1, verdict_changes: 1 },
    totals: { base: { examples: 3, steps: 6, tokens: 360, cost_usd: 0.0003 }, head: { examples: 3, steps: 7, tokens: 400, cost_usd: 0.0004 } },
    examples: [
      base({
        id: "drifted-answer",
        status: "changed",
        head_verdict: "regression",
        changed: ["verdict", "answer", "checks", "requests", "usage"],
        checks: [{ name: "must_contain", base: { pass: true, reason: "all 1 expected phrase present" }, head: { pass: false, reason: 'Missing: ["2607"]' }, flipped: true }],
        answer: {
          base: "There are 2607 companies.",
          head: "There are 2,600 companies in the database.",
          diff: [{ op: "equal", text: "There are " }, { op: "delete", text: "2607" }, { op: "insert", text: "2,600" }, { op: "equal", text: " companies" }, { op: "insert", text: " in the database" }, { op: "equal", text: "." }],
        },
        usage: { base: usage(2, 120, 0.0001), head: usage(3, 160, 0.0002) },
        requests: [{ call: 1, status: "changed", explanation: ['messages[0] (system) changed at line 3:', '  recorded: "Answer in one short sentence."', '  now:      "Answer briefly."'] }, { call: 2, status: "added", explanation: [] }],
      }),
      base({ id: "brand-new", line: 30, status: "added", base_verdict: null, answer: { base: null, head: "There are 2607 companies.", diff: [{ op: "insert", text: "There are 2607 companies." }] }, usage: { base: null, head: usage(2, 120, 0.0001) } }),
      base({ id: "gone-example", line: 50, status: "removed", base_verdict: "known_failure", head_verdict: null, answer: { base: "An answer only the base gave.", head: null, diff: [{ op: "delete", text: "An answer only the base gave." }] }, usage: { base: usage(2, 120, 0.0001), head: null } }),
      base({ id: "steady", line: 20, status: "unchanged" }),
    ],
  });
  return { report, comparison };
}

describe("html report: with a comparison", () => {
  it("pairs examples by graph, version and id, and keeps the base-only ones", () => {
    const { report, comparison } = sampleComparison();
    const data = embeddedData(renderHtmlReport(report, comparison));
    expect(data.examples.map((e) => [e.id, e.verdict, e.change?.status])).toEqual([
      ["drifted-answer", "regression", "changed"],
      ["brand-new", "ok", "added"],
      ["gone-example", null, "removed"],
      ["steady", "ok", "unchanged"],
    ]);
    expect(data.examples.find((e) => e.id === "gone-example")).toMatchObject({ recording: "datasets/admin_chat/recordings/v1/gone-example.json", rerecord: null });
    expect(data.meta.compare?.counts.removed).toBe(1);
  });
});

describe("html report in Chromium", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    // No skip when Chromium is missing: CI installs it, and a report nobody opened is untested.
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
    dir = await mkdtemp(path.join(tmpdir(), "evalgate-html-"));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens the file from disk and records every page error and every request that is not the file itself. */
  async function open(name: string, html: string): Promise<{ page: Page; problems: string[] }> {
    const file = path.join(dir, `${name}.html`);
    await writeFile(file, html);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) problems.push(`request: ${request.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("html[data-ready]");
    return { page, problems };
  }

  const rowIds = (page: Page) => page.locator("#list .row .row-id").allTextContents();

  it("filters by verdict, searches, and opens an example to its check reasons, answer marks, tool calls and waterfall", async () => {
    const { page, problems } = await open("basic", renderHtmlReport(sampleReport()));

    expect(await page.locator("#list-status").textContent()).toBe("8 examples");
    expect(await page.locator("h1").textContent()).toBe("evalgate");
    expect(await page.locator(".gate").textContent()).toBe("gate failed");

    await page.click('.chip[data-verdict="regression"]');
    expect((await rowIds(page)).sort()).toEqual(["replay-miss", "wrong-count"]);
    expect(await page.locator("#list-status").textContent()).toBe("2 of 8 examples shown");

    await page.fill("#f-search", "3,100");
    await expect.poll(() => rowIds(page), POLL).toEqual(["wrong-count"]);

    await page.click("#list .row");
    const detail = page.locator("#detail");
    await expect.poll(() => detail.locator("h2").textContent(), POLL).toBe("wrong-count");
    expect(await detail.locator("table.checks").textContent()).toContain('Forbidden "3,100" at 16');
    expect(await detail.locator("mark.hit-bad").allTextContents()).toEqual(["3,100", "I don't know"]);
    expect(await detail.locator(".legend .want.missing").textContent()).toContain("2607");
    expect(await detail.locator("table.tools").textContent()).toContain('{"table":"companies"}');
    expect(await detail.locator(".trace-link a").getAttribute("href")).toBe(TRACE_URL);
    expect(await detail.textContent()).toContain("pnpm eval --record --stale --graph admin_chat --dataset-version 1 --example wrong-count");
    expect(await detail.textContent()).toContain("datasets/admin_chat/recordings/v1/wrong-count.json");

    const spans = detail.locator(".wf-row");
    expect(await spans.locator(".nm").allTextContents()).toEqual(["agent_run:admin_chat", "chat gpt-4o-mini", "tool:count_rows", "chat gpt-4o-mini"]);
    expect(await spans.nth(1).locator(".rec").textContent()).toBe("recorded");
    expect(await spans.nth(1).locator(".wf-num").allTextContents()).toEqual(["+1.50 ms", "0.20 ms", "60 → 10", "$0.000015"]);
    await spans.nth(3).locator("summary").click();
    expect(await spans.nth(3).locator(".wf-body").textContent()).toContain("Observation from count_rows:");
    await page.screenshot({ path: "/tmp/evalgate-html-detail.png" });

    // Filters combine; clearing them brings every example back, hostile text included, with nothing run.
    await page.click("text=clear filters");
    await page.selectOption("#f-version", "2");
    expect(await rowIds(page)).toEqual(["second-version"]);
    await page.selectOption("#f-version", "");
    await page.selectOption("#f-tag", "hallucination");
    expect(await rowIds(page)).toEqual(["still-hallucinates"]);
    await page.selectOption("#f-tag", "");
    await page.selectOption("#f-graph", "agentic_search");
    expect(await rowIds(page)).toEqual(["search-graph"]);
    await page.click("text=clear filters");
    await page.fill("#f-search", "pwned");
    await expect.poll(() => rowIds(page), POLL).toEqual(["script-injection"]);
    await page.click("#list .row");
    expect(await detail.locator(".answer-text").textContent()).toContain("</script><script>window.pwned = 1</script>");
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  });

  it("with a comparison: 'changed only', the verdict change and the answer diff side by side, and removed examples", async () => {
    const { report, comparison } = sampleComparison();
    const { page, problems } = await open("compare", renderHtmlReport(report, comparison));

    expect(await page.locator(".top").textContent()).toContain("compared with base origin/main @ aaaaaaaaaa");
    expect(await rowIds(page)).toEqual(["drifted-answer", "brand-new", "gone-example", "steady"]);
    await page.check("#f-changed");
    expect(await rowIds(page)).toEqual(["drifted-answer", "brand-new", "gone-example"]);

    await page.click("#list .row >> nth=0");
    const detail = page.locator("#detail");
    expect(await detail.locator(".verdict-change").textContent()).toBe("ok → regression");
    const sideBySide = detail.locator(".sbs");
    expect(await sideBySide.locator(".base-answer").textContent()).toBe("There are 2607 companies.");
    expect(await sideBySide.locator(".head-answer").textContent()).toBe("There are 2,600 companies in the database.");
    expect(await sideBySide.textContent()).toContain("160+40");
    expect(await detail.locator("pre.diff del").allTextContents()).toEqual(["2607"]);
    expect(await detail.locator("pre.diff ins").allTextContents()).toEqual(["2,600", " in the database"]);
    expect(await detail.locator("table.check-changes tr.flip").textContent()).toContain('Missing: ["2607"]');
    expect(await detail.locator("table.requests").textContent()).toContain('messages[0] (system) changed at line 3:');
    await page.screenshot({ path: "/tmp/evalgate-html-compare.png" });

    await page.click('.chip[data-verdict="removed"]');
    expect(await rowIds(page)).toEqual(["gone-example"]);
    await page.click("#list .row");
    expect(await detail.locator(".d-head .badge").textContent()).toBe("removed");
    expect(await detail.locator(".base-answer").textContent()).toBe("An answer only the base gave.");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("stays usable at 10,000 examples: a bounded number of rows in the DOM, search and scrolling reach any example", async () => {
    const html = renderHtmlReport(makeReport(makeManyExamples(10_000)));
    const lastOk = embeddedData(html).examples.filter((e) => e.verdict === "ok").at(-1)!.id;
    const { page, problems } = await open("large", html);

    expect(await page.locator("#list-status").textContent()).toBe("10,000 examples");
    expect(await page.locator("#list .row").count()).toBeLessThan(60);
    await page.fill("#f-search", "example-09999");
    await expect.poll(() => rowIds(page), POLL).toEqual(["example-09999"]);
    await page.fill("#f-search", "");
    await expect.poll(() => page.locator("#list-status").textContent(), POLL).toBe("10,000 examples");
    await page.click('.chip[data-verdict="ok"]');
    await page.locator("#list").evaluate((list) => list.scrollTo(0, list.scrollHeight));
    await expect.poll(async () => (await rowIds(page)).at(-1), POLL).toBe(lastOk);
    expect(await page.locator("#list .row").count()).toBeLessThan(60);
    expect(problems).toEqual([]);
    await page.close();
  });
});
