import { appendFile } from "node:fs/promises";
import { createRedactor, redactReport } from "../core/redact.ts";
import type { ExampleResult, Report } from "../core/report.ts";
import type { ReporterContext, ReporterFactory } from "../core/reporter.ts";
import { actionableExamples, exampleLabel, failureReasons, fixedNote, invocation, reproduceCommand, sourcePath } from "./format.ts";
import { renderMarkdownSummary } from "./markdown.ts";

/**
 * GitHub shows at most 10 error and 10 warning annotations per step and drops the rest
 * silently, so past that a notice points at the step summary, which lists every one.
 */
export const ANNOTATIONS_PER_LEVEL = 10;

/** Workflow-command message text: only %, CR and LF are special. */
export function escapeCommandData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** Workflow-command property values: additionally `,` and `:`, which separate properties. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

type Level = "error" | "warning" | "notice";

export function workflowCommand(level: Level, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeCommandProperty(String(value))}`)
    .join(",");
  return `::${level}${props ? ` ${props}` : ""}::${escapeCommandData(message)}`;
}

function annotation(example: ExampleResult, report: Report, ctx: Pick<ReporterContext, "rootDir" | "env" | "command">): string {
  const isRegression = example.verdict === "regression";
  const lines = isRegression ? failureReasons(example) : [fixedNote(report.run.strict)];
  if (isRegression && example.error?.hint) lines.push(`hint: ${example.error.hint}`);
  lines.push(`reproduce: ${reproduceCommand(example, invocation(ctx))}`);
  return workflowCommand(
    isRegression ? "error" : "warning",
    {
      file: sourcePath(example.file, ctx.rootDir, ctx.env),
      line: example.line,
      title: `${exampleLabel(example)} ${isRegression ? "regression" : "fixed"}`,
    },
    lines.join("\n"),
  );
}

/** One annotation per regression (error) and per fixed example (warning: --strict fails on it). */
export function renderAnnotations(report: Report, ctx: Pick<ReporterContext, "rootDir" | "env" | "command">): string[] {
  const examples = actionableExamples(report);
  const out: string[] = [];
  for (const verdict of ["regression", "fixed"] as const) {
    const ofVerdict = examples.filter((e) => e.verdict === verdict);
    out.push(...ofVerdict.slice(0, ANNOTATIONS_PER_LEVEL).map((example) => annotation(example, report, ctx)));
    const hidden = ofVerdict.length - ANNOTATIONS_PER_LEVEL;
    if (hidden > 0) {
      out.push(
        workflowCommand(
          "notice",
          { title: `evalgate: ${hidden} more ${verdict} example(s) not annotated` },
          "GitHub shows at most 10 annotations of a kind per step; the job summary and report.json list every example.",
        ),
      );
    }
  }
  return out;
}

export const createGithubReporter: ReporterFactory = (ctx) => {
  // Outside GitHub Actions the "::error" lines would be noise in a terminal or another CI.
  if (ctx.env.GITHUB_ACTIONS !== "true") return { name: "github" };
  return {
    name: "github",
    async onEnd(fullReport) {
      // Annotations and the step summary are read by everyone with access to the repository.
      const report = redactReport(fullReport, ctx.redactor ?? createRedactor());
      for (const line of renderAnnotations(report, ctx)) ctx.stdout.write(`${line}\n`);
      const summaryFile = ctx.env.GITHUB_STEP_SUMMARY;
      if (!summaryFile) return [];
      // Appended, not written: other steps of the same job share this file.
      await appendFile(summaryFile, `${renderMarkdownSummary(report, ctx)}\n`, "utf8");
      return [summaryFile];
    },
  };
};
