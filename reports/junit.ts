import path from "node:path";
import type { ExampleResult, Report } from "../core/report.ts";
import type { ReporterContext, ReporterFactory } from "../core/reporter.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import {
  KNOWN_FAILURE_NOTE,
  errorLine,
  failureReasons,
  fixedNote,
  groupByDataset,
  invocation,
  reproduceCommand,
  sourcePath,
  truncate,
} from "./format.ts";
import { escapeXmlText, xmlAttributes } from "./xml.ts";

export const JUNIT_REPORT_FILE = "junit.xml";

/** Enough of the answer to see what went wrong; the whole answer is in report.json. */
const ANSWER_EXCERPT_CHARS = 2000;

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/**
 * How the example counts in JUnit terms. `fixed` fails the gate only under --strict; the
 * JUnit file must agree with the gate, so that is the one case where `fixed` is a failure.
 */
function junitStatus(example: ExampleResult, strict: boolean): "error" | "failure" | "passed" {
  if (example.verdict === "regression") return example.outcome === "error" && example.error ? "error" : "failure";
  if (example.verdict === "fixed" && strict) return "failure";
  return "passed";
}

function details(example: ExampleResult, lines: readonly string[], command: string): string {
  const body = [...lines];
  if (example.error?.hint) body.push(`hint: ${example.error.hint}`);
  if (example.output) body.push(`answer: ${truncate(example.output.answer, ANSWER_EXCERPT_CHARS)}`);
  if (example.trace_url) body.push(`trace: ${example.trace_url}`);
  body.push(`reproduce: ${reproduceCommand(example, command)}`);
  return body.join("\n");
}

function testcaseBody(example: ExampleResult, strict: boolean, command: string): string[] {
  const reasons = failureReasons(example);
  const children: string[] = [];
  const status = junitStatus(example, strict);
  if (example.verdict === "regression") {
    if (status === "error" && example.error) {
      children.push(
        `<error${xmlAttributes({ message: errorLine(example.error), type: example.error.kind })}>${escapeXmlText(details(example, reasons, command))}</error>`,
      );
    } else {
      children.push(
        `<failure${xmlAttributes({ message: reasons.join("; "), type: "regression" })}>${escapeXmlText(details(example, reasons, command))}</failure>`,
      );
    }
  }
  if (example.verdict === "fixed") {
    const note = `FIXED: ${fixedNote(strict)}`;
    if (strict) children.push(`<failure${xmlAttributes({ message: note, type: "fixed" })}/>`);
    children.push(`<system-out>${escapeXmlText(details(example, [note], command))}</system-out>`);
  }
  if (example.verdict === "known_failure") {
    const note = `KNOWN FAILURE (expected, does not fail the gate): ${KNOWN_FAILURE_NOTE}`;
    children.push(`<system-out>${escapeXmlText(details(example, [note, ...reasons], command))}</system-out>`);
  }
  return children;
}

export function renderJunit(report: Report, ctx: Pick<ReporterContext, "rootDir" | "env" | "command">): string {
  const strict = report.run.strict;
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = report.examples;
  const countFailures = (examples: readonly ExampleResult[]) => examples.filter((e) => junitStatus(e, strict) === "failure").length;
  const countErrors = (examples: readonly ExampleResult[]) => examples.filter((e) => junitStatus(e, strict) === "error").length;

  lines.push(
    `<testsuites${xmlAttributes({
      name: "evalgate",
      tests: all.length,
      failures: countFailures(all),
      errors: countErrors(all),
      skipped: 0,
      time: seconds(report.duration_ms),
      timestamp: report.started_at,
    })}>`,
  );
  for (const group of groupByDataset(report)) {
    const suiteTime = group.examples.reduce((sum, e) => sum + e.duration_ms, 0);
    lines.push(
      `  <testsuite${xmlAttributes({
        name: group.label,
        tests: group.examples.length,
        failures: countFailures(group.examples),
        errors: countErrors(group.examples),
        skipped: 0,
        time: seconds(suiteTime),
        timestamp: report.started_at,
        file: sourcePath(group.file, ctx.rootDir, ctx.env),
      })}>`,
    );
    lines.push("    <properties>");
    const properties: Array<[string, string]> = [
      ["evalgate.mode", report.run.mode],
      ["evalgate.strict", String(strict)],
      ["evalgate.gate", report.gate.passed ? "passed" : "failed"],
    ];
    if (report.run.git.sha) properties.push(["git.sha", report.run.git.sha]);
    for (const [name, value] of properties) lines.push(`      <property${xmlAttributes({ name, value })}/>`);
    lines.push("    </properties>");
    for (const example of group.examples) {
      const open = `    <testcase${xmlAttributes({
        classname: group.label,
        name: example.id,
        file: sourcePath(example.file, ctx.rootDir, ctx.env),
        line: example.line,
        time: seconds(example.duration_ms),
      })}`;
      const children = testcaseBody(example, strict, invocation(ctx));
      if (children.length === 0) {
        lines.push(`${open}/>`);
      } else {
        lines.push(`${open}>`, ...children.map((child) => `      ${child}`), "    </testcase>");
      }
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

export const createJunitReporter: ReporterFactory = (ctx) => ({
  name: "junit",
  async onEnd(report) {
    return [await writeFileAtomic(path.join(ctx.outDir, JUNIT_REPORT_FILE), renderJunit(report, ctx))];
  },
});
