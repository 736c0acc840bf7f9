import path from "node:path";
import { Report } from "../core/report.ts";
import type { ReporterFactory } from "../core/reporter.ts";
import { writeFileAtomic } from "./atomic-write.ts";

export const JSON_REPORT_FILE = "report.json";

/** Thrown when the folded report breaks its own schema: a bug upstream, never the user's data. */
export class InvalidReportError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    const shown = issues.slice(0, 10).join("\n  ");
    const more = issues.length > 10 ? `\n  … and ${issues.length - 10} more` : "";
    super(
      `${JSON_REPORT_FILE} was not written: the report does not match its schema (${issues.length} problem(s)):\n  ${shown}${more}\n` +
        "This is a bug in evalgate's runner, not in your datasets; please report it with this message.",
    );
    this.name = "InvalidReportError";
    this.issues = issues;
  }
}

/** Validates before serialising, so report.json always parses with the `Report` schema. */
export function serializeReport(report: Report): string {
  const parsed = Report.safeParse(report);
  if (!parsed.success) {
    throw new InvalidReportError(
      parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`),
    );
  }
  return `${JSON.stringify(parsed.data, null, 2)}\n`;
}

export const createJsonReporter: ReporterFactory = (ctx) => ({
  name: "json",
  async onEnd(report) {
    const target = path.join(ctx.outDir, JSON_REPORT_FILE);
    return [await writeFileAtomic(target, serializeReport(report))];
  },
});
