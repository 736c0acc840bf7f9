import path from "node:path";
import { ExampleResult, Report } from "../core/report.ts";
import type { ReporterFactory } from "../core/reporter.ts";
import { writeChunksAtomic } from "./atomic-write.ts";
import { RowSpool, type SpooledRow } from "./row-spool.ts";
import { schemaOrder } from "./schema-order.ts";

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

const EXAMPLES_SLOT = "\u0000evalgate-examples\u0000";

const exampleInSchemaOrder = schemaOrder(ExampleResult);

/**
 * report.json in pieces: the envelope (validated), then each example serialised on its own, so a
 * 10,000-example report is never copied whole (zod's parse of the full report used to double the
 * run's memory at the end). Joined, the pieces are exactly `JSON.stringify(Report.parse(report),
 * null, 2)`: keys in schema order, unknown keys dropped. The rows are not validated again: evalgate
 * built them itself from validated inputs, and the tests hold every producer of a row to the schema.
 */
export function reportJsonChunks(report: Report): Generator<string>;
export function reportJsonChunks(report: Report, spool: RowSpool): Generator<string | SpooledRow>;
export function* reportJsonChunks(report: Report, spool?: RowSpool): Generator<string | SpooledRow> {
  const { examples, ...rest } = report;
  const envelope = Report.safeParse({ ...rest, examples: [] });
  if (!envelope.success) throw new InvalidReportError(envelope.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`));
  const [head, tail] = JSON.stringify({ ...envelope.data, examples: EXAMPLES_SLOT }, null, 2).split(JSON.stringify(EXAMPLES_SLOT)) as [string, string];
  if (examples.length === 0) {
    yield `${head}[]${tail}\n`;
    return;
  }
  yield `${head}[\n`;
  for (const [i, example] of examples.entries()) {
    // Each row after the first comes after its separator, as the spool keeps it.
    yield spool?.row(example, i > 0) ?? `${i > 0 ? ROW_SEPARATOR : ""}${reportRow(example)}`;
  }
  yield `\n  ]${tail}\n`;
}

const ROW_SEPARATOR = ",\n";

/** One example as report.json holds it, indented for its place in the examples list. */
function reportRow(example: ExampleResult): string {
  // Serialised two lists deep, the row comes out indented for its place ("[\n  [\n" and "\n  ]\n]"
  // cut off), which spares a second pass over the text to indent it.
  return JSON.stringify([[exampleInSchemaOrder(example)]], null, 2).slice(6, -6);
}

/** Validates before serialising, so report.json always parses with the `Report` schema. */
export function serializeReport(report: Report): string {
  return [...reportJsonChunks(report)].join("");
}

/**
 * Each example's row is made as its result comes in (during a threaded replay the main thread is
 * mostly idle), so the end of the run only puts the rows in order around the envelope.
 */
export const createJsonReporter: ReporterFactory = (ctx) => {
  const spool = new RowSpool(ROW_SEPARATOR);
  return {
    name: "json",
    onEvent(event) {
      if (event.type === "example-end") spool.add(event.result, reportRow(event.result));
    },
    async onEnd(report) {
      const target = path.join(ctx.outDir, JSON_REPORT_FILE);
      try {
        return [await writeChunksAtomic(target, reportJsonChunks(report, spool))];
      } finally {
        spool.close();
      }
    },
  };
};
