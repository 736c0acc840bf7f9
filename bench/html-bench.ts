/**
 * The HTML report at scale: renders the shipped suite's report (.evalgate/report.json, written by
 * `pnpm eval`) and a generated 10,000-example one, writes both, prints their size and render
 * time, and opens each from disk in headless Chromium to measure first paint, the moment the
 * list is ready, and how long filtering and opening an example take there.
 *
 *   pnpm bench:html            (or: pnpm exec node bench/html-bench.ts)
 *
 * Figures are medians of a few loads in fresh pages; the machines this runs on are shared and
 * noisy, so read them as orders of magnitude.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { Report } from "../core/report.ts";
import { renderHtmlReport } from "../reports/html.ts";
import { makeManyExamples, makeReport } from "../reports/test-fixtures.ts";

const LOADS = 5;
const LARGE = 10_000;
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

interface PageFigures {
  firstPaintMs: number;
  readyMs: number;
  filterMs: number;
  openMs: number;
  heapMb: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function loadOnce(browser: Browser, file: string): Promise<PageFigures> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("html[data-ready]");
  const figures = await page.evaluate(() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0] ?? performance.getEntriesByType("paint")[0];
    const ready = performance.getEntriesByName("evalgate:ready")[0];
    // Filtering and opening are synchronous handlers, so timing the click times the work.
    const chip = Array.from(document.querySelectorAll<HTMLElement>(".chip")).find((c) => c.querySelector(".n")?.textContent !== "0")!;
    let start = performance.now();
    chip.click();
    const filterMs = performance.now() - start;
    const row = document.querySelector<HTMLElement>("#list .row")!;
    start = performance.now();
    row.click();
    const openMs = performance.now() - start;
    const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    return { firstPaintMs: paint?.startTime ?? Number.NaN, readyMs: ready?.startTime ?? Number.NaN, filterMs, openMs, heapMb: memory ? memory.usedJSHeapSize / 1024 / 1024 : Number.NaN };
  });
  await context.close();
  if (errors.length > 0) throw new Error(`${file}: page errors: ${errors.join("; ")}`);
  return figures;
}

async function measure(browser: Browser, label: string, report: Report, dir: string): Promise<void> {
  const started = performance.now();
  const html = renderHtmlReport(report);
  const renderMs = performance.now() - started;
  const file = path.join(dir, `${label.replace(/\W+/g, "-")}.html`);
  await writeFile(file, html);
  const { size } = await stat(file);

  await loadOnce(browser, file); // warm-up: the first page of a fresh browser pays its start-up
  const loads: PageFigures[] = [];
  for (let i = 0; i < LOADS; i++) loads.push(await loadOnce(browser, file));
  const pick = (key: keyof PageFigures) => median(loads.map((l) => l[key]));

  console.log(`\n${label}: ${report.examples.length.toLocaleString("en-US")} examples`);
  console.log(`  file           ${mib(size)} (${size.toLocaleString("en-US")} bytes) ${file}`);
  console.log(`  render (node)  ${ms(renderMs)}`);
  console.log(`  first paint    ${ms(pick("firstPaintMs"))}   (first-contentful-paint, median of ${LOADS} loads)`);
  console.log(`  list ready     ${ms(pick("readyMs"))}   (data parsed, header, filters and first rows drawn)`);
  console.log(`  filter         ${pick("filterMs").toFixed(1)} ms   (first non-empty verdict chip, over every example)`);
  console.log(`  open example   ${pick("openMs").toFixed(1)} ms   (detail view built)`);
  if (Number.isFinite(pick("heapMb"))) console.log(`  JS heap        ${pick("heapMb").toFixed(1)} MiB`);
}

async function main(): Promise<void> {
  const shippedFile = path.resolve(".evalgate/report.json");
  if (!existsSync(shippedFile)) {
    console.error(`${shippedFile} is missing: run \`pnpm eval\` first (it writes the shipped suite's report).`);
    process.exit(2);
  }
  const shipped = Report.parse(JSON.parse(await readFile(shippedFile, "utf8")));
  const large = makeReport(makeManyExamples(LARGE));

  const dir = await mkdtemp(path.join(tmpdir(), "evalgate-html-bench-"));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    await measure(browser, "shipped suite", shipped, dir);
    await measure(browser, "generated", large, dir);
  } finally {
    await browser.close();
  }
  console.log(`\nfiles kept in ${dir}`);
  if (process.env.EVALGATE_BENCH_CLEANUP === "1") await rm(dir, { recursive: true, force: true });
}

await main();
