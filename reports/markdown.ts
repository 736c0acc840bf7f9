import path from "node:path";
import type { ExampleResult, Report } from "../core/report.ts";
import type { ReporterContext, ReporterFactory } from "../core/reporter.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import {
  actionableExamples,
  byLocation,
  countsLine,
  exampleDataset,
  failureReasons,
  fixedNote,
  formatCostSum,
  formatDuration,
  formatTokens,
  formatUsd,
  githubBlobUrl,
  groupByDataset,
  invocation,
  reproduceCommand,
  sourcePath,
  tokensLine,
  truncate,
} from "./format.ts";

export const MARKDOWN_REPORT_FILE = "summary.md";

/**
 * Limits that keep the summary readable as a PR comment and far below GitHub's 1 MiB step
 * summary cap; everything cut here is still in report.json.
 */
export const MARKDOWN_LIMITS = {
  attentionRows: 50,
  knownFailureRows: 30,
  reproduceCommands: 10,
  reasonsPerExample: 3,
  reasonChars: 300,
  answerChars: 160,
} as const;

export type MarkdownContext = Pick<ReporterContext, "rootDir" | "env" | "command">;

/** Makes untrusted text (answers, reasons) inert inside a table cell. */
export function markdownCell(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
    .replace(/\r\n|\r|\n/g, " ")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replace(/[\\`*_[\]|~#]/g, (char) => `\\${char}`);
}

/** Parentheses and spaces would end a Markdown link target early. */
function linkTarget(url: string): string {
  return url.replaceAll("(", "%28").replaceAll(")", "%29").replaceAll(" ", "%20");
}

function link(text: string, url: string | undefined): string {
  return url ? `[${text}](${linkTarget(url)})` : text;
}

function exampleIdCell(example: ExampleResult): string {
  return link(markdownCell(example.id), example.trace_url);
}

function locationCell(example: ExampleResult, report: Report, ctx: MarkdownContext): string {
  const shown = `${sourcePath(example.file, ctx.rootDir, ctx.env)}:${example.line}`;
  return link(markdownCell(shown), githubBlobUrl(example.file, example.line, ctx.rootDir, ctx.env, report.run.git.sha));
}

function reasonsCell(reasons: readonly string[]): string {
  const shown = reasons.slice(0, MARKDOWN_LIMITS.reasonsPerExample).map((r) => markdownCell(truncate(r, MARKDOWN_LIMITS.reasonChars)));
  const hidden = reasons.length - shown.length;
  if (hidden > 0) shown.push(`… ${hidden} more in report.json`);
  return shown.join("<br>");
}

function headline(report: Report): string[] {
  const icon = report.gate.passed ? "✅" : "❌";
  const verdict = report.gate.passed ? "gate passed" : "gate failed";
  const run = report.run;
  const facts = [
    tokensLine(report.usage),
    `cost ${formatUsd(report.cost_usd)}`,
    `wall ${formatDuration(report.duration_ms)}`,
    `${run.mode} mode`,
  ];
  if (run.strict) facts.push("--strict");
  if (run.shard) facts.push(`shard ${run.shard.index}/${run.shard.total}`);
  if (run.git.sha) facts.push(`git ${run.git.sha.slice(0, 12)}${run.git.branch ? ` (${markdownCell(run.git.branch)})` : ""}`);
  const lines = [
    `## ${icon} evalgate: ${verdict}`,
    "",
    `**${countsLine(report.counts)}**. ${markdownCell(report.gate.reason)}`,
    "",
    facts.join(" · "),
  ];
  const langsmith = report.langsmith;
  if (langsmith?.experiment_url) lines.push("", `LangSmith experiment: ${link("open", langsmith.experiment_url)}`);
  if (langsmith?.error) lines.push("", `LangSmith upload failed (results are in report.json): ${markdownCell(truncate(langsmith.error, 300))}`);
  return lines;
}

function attentionSection(report: Report, ctx: MarkdownContext): string[] {
  const examples = actionableExamples(report);
  if (examples.length === 0) return [];
  const lines = [
    "",
    "### Regressions and fixed examples",
    "",
    "| Verdict | Dataset | Example | Location | Reasons | Answer (excerpt) |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const example of examples.slice(0, MARKDOWN_LIMITS.attentionRows)) {
    const verdict = example.verdict === "regression" ? "❌ regression" : "⚠️ fixed";
    const hint = example.error?.hint ? [`hint: ${example.error.hint}`] : [];
    const reasons = example.verdict === "fixed" ? [fixedNote(report.run.strict)] : [...failureReasons(example), ...hint];
    const answer = example.output ? markdownCell(truncate(example.output.answer, MARKDOWN_LIMITS.answerChars)) : "(no answer)";
    lines.push(
      `| ${verdict} | ${markdownCell(exampleDataset(example))} | ${exampleIdCell(example)} | ${locationCell(example, report, ctx)} | ${reasonsCell(reasons)} | ${answer} |`,
    );
  }
  const hidden = examples.length - MARKDOWN_LIMITS.attentionRows;
  if (hidden > 0) lines.push("", `… and ${hidden} more; see report.json.`);

  const regressions = examples.filter((e) => e.verdict === "regression");
  if (regressions.length > 0) {
    const commands = regressions.slice(0, MARKDOWN_LIMITS.reproduceCommands).map((example) => reproduceCommand(example, invocation(ctx)));
    lines.push("", "Reproduce locally:", "", "```sh", ...commands, "```");
  }
  return lines;
}

function datasetSection(report: Report): string[] {
  const groups = groupByDataset(report);
  if (groups.length === 0) return [];
  const lines = [
    "",
    "### Datasets",
    "",
    "| Dataset | Examples | ok | regression | fixed | known failure | Tokens | Cost | Time (sum) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const group of groups) {
    const count = (verdict: ExampleResult["verdict"]) => group.examples.filter((e) => e.verdict === verdict).length;
    const tokens = group.examples.reduce((sum, e) => sum + e.usage.total_tokens, 0);
    const time = group.examples.reduce((sum, e) => sum + e.duration_ms, 0);
    lines.push(
      `| ${markdownCell(group.label)} | ${group.examples.length} | ${count("ok")} | ${count("regression")} | ${count("fixed")} | ${count("known_failure")} | ${formatTokens(tokens)} | ${formatCostSum(group.examples)} | ${formatDuration(time)} |`,
    );
  }
  return lines;
}

/** Known failures are expected, so they sit folded away: visible on demand, never in the way. */
function knownFailureSection(report: Report, ctx: MarkdownContext): string[] {
  const known = report.examples.filter((e) => e.verdict === "known_failure").sort(byLocation);
  if (known.length === 0) return [];
  const lines = [
    "",
    `<details><summary>${known.length} known failure(s): marked pass: false, expected, not failing the gate</summary>`,
    "",
    "| Dataset | Example | Location | Reasons |",
    "| --- | --- | --- | --- |",
  ];
  for (const example of known.slice(0, MARKDOWN_LIMITS.knownFailureRows)) {
    lines.push(
      `| ${markdownCell(exampleDataset(example))} | ${exampleIdCell(example)} | ${locationCell(example, report, ctx)} | ${reasonsCell(failureReasons(example))} |`,
    );
  }
  const hidden = known.length - MARKDOWN_LIMITS.knownFailureRows;
  if (hidden > 0) lines.push("", `… and ${hidden} more; see report.json.`);
  lines.push("", "</details>");
  return lines;
}

/** The one Markdown renderer: summary.md and the GitHub step summary both use it. */
export function renderMarkdownSummary(report: Report, ctx: MarkdownContext): string {
  return `${[...headline(report), ...attentionSection(report, ctx), ...datasetSection(report), ...knownFailureSection(report, ctx)].join("\n")}\n`;
}

export const createMarkdownReporter: ReporterFactory = (ctx) => ({
  name: "markdown",
  async onEnd(report) {
    return [await writeFileAtomic(path.join(ctx.outDir, MARKDOWN_REPORT_FILE), renderMarkdownSummary(report, ctx))];
  },
});
