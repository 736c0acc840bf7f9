import path from "node:path";
import type { Comparison } from "../core/compare.ts";
import type { Report } from "../core/report.ts";
import type { ReporterFactory } from "../core/reporter.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import { invocation } from "./format.ts";
import { CLIENT_SCRIPT, DATA_ELEMENT_ID } from "./html/client.ts";
import { cspHash, jsonForScript } from "./html/embed.ts";
import { buildHtmlData, type HtmlModelOptions } from "./html/model.ts";
import { HTML_STYLES } from "./html/styles.ts";

export const HTML_REPORT_FILE = "report.html";

export type HtmlReportOptions = HtmlModelOptions;

/**
 * The page may run only its own script and style and fetch nothing: the report is opened from
 * disk, often from a CI artifact, and must neither phone home nor run code an answer smuggled in.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${cspHash(CLIENT_SCRIPT)}`,
  `style-src ${cspHash(HTML_STYLES)}`,
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/**
 * The whole report as one self-contained HTML file. Only fixed markup is static; everything
 * from the run travels as escaped JSON and is rendered by the page, lazily, so the file stays
 * usable at 10,000 examples and no URL from the data appears as markup.
 */
export function renderHtmlReport(report: Report, comparison?: Comparison, options: HtmlReportOptions = {}): string {
  const data = jsonForScript(buildHtmlData(report, comparison, options));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="evalgate">
<title>evalgate report</title>
<style>${HTML_STYLES}</style>
</head>
<body>
<header id="top" class="top"></header>
<div id="toolbar" class="toolbar" role="search"></div>
<main class="main">
<section class="list-pane" aria-label="Examples">
<div id="list-status" class="list-status">Loading…</div>
<div id="list" class="list" tabindex="0" role="listbox" aria-label="Examples"><div id="list-inner" class="list-inner"></div></div>
</section>
<section id="detail" class="detail" aria-live="polite"></section>
</main>
<noscript><p>This report renders with JavaScript; the same data is in report.json.</p></noscript>
<script type="application/json" id="${DATA_ELEMENT_ID}">${data}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

/** Writes <outDir>/report.html; `compare` calls it again with the baseline once it has one. */
export async function writeHtmlReport(outDir: string, report: Report, comparison?: Comparison, options: HtmlReportOptions = {}): Promise<string> {
  return writeFileAtomic(path.join(outDir, HTML_REPORT_FILE), renderHtmlReport(report, comparison, options));
}

export const createHtmlReporter: ReporterFactory = (ctx) => ({
  name: "html",
  async onEnd(report) {
    return [await writeHtmlReport(ctx.outDir, report, undefined, { command: invocation(ctx) })];
  },
});
