import type { Report } from "../core/report.ts";
import type { Reporter } from "../core/reporter.ts";

/** A reporter hook that threw; collected by the multiplexer so the other reporters still run. */
export interface ReporterFailure {
  readonly reporter: string;
  readonly phase: "create" | "event" | "end";
  readonly message: string;
  /** How many times this reporter failed in this phase (events can fail repeatedly). */
  readonly count: number;
}

/** What the other reporters produced, handed to a closing reporter after they finished. */
export interface RunOutputs {
  readonly files: readonly string[];
  readonly failures: readonly ReporterFailure[];
}

/**
 * A reporter whose onEnd runs after every other reporter's, and learns what they wrote and
 * which of them failed: the console uses it to list files and reporter errors last.
 * It is still a plain Reporter (the extra argument is optional), so core/ needs no change.
 */
export interface ClosingReporter extends Reporter {
  readonly closing: true;
  onEnd(report: Report, outputs?: RunOutputs): Promise<string[] | void>;
}

export function isClosingReporter(reporter: Reporter): reporter is ClosingReporter {
  return (reporter as Partial<ClosingReporter>).closing === true;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function describeFailure(failure: ReporterFailure): string {
  const where = { create: "could not start", event: "failed while the run was in progress", end: "failed at the end of the run" }[failure.phase];
  const times = failure.count > 1 ? ` (${failure.count} times)` : "";
  return `evalgate: reporter "${failure.reporter}" ${where}${times}: ${failure.message}`;
}
