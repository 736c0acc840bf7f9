import type { Report, RunEvent } from "../core/report.ts";
import type { Reporter, ReporterContext } from "../core/reporter.ts";
import { describeFailure, errorMessage, isClosingReporter, type ReporterFailure } from "./closing-reporter.ts";

/** One Reporter standing for many, plus what they wrote and which of them failed. */
export interface MultiReporter extends Reporter {
  readonly reporters: readonly Reporter[];
  readonly files: readonly string[];
  readonly failures: readonly ReporterFailure[];
}

/**
 * Fans events and onEnd out to every reporter. A reporter that throws is recorded and the
 * others carry on: a broken JUnit writer must not cost the user their console summary.
 * File writers finish first (in parallel); closing reporters (the console) then run last and
 * see the files written and the failures, so they can list both.
 */
export function multiplexReporters(
  reporters: readonly Reporter[],
  ctx: Pick<ReporterContext, "stdout">,
  earlierFailures: readonly ReporterFailure[] = [],
): MultiReporter {
  const failures = new Map<string, ReporterFailure>();
  const files: string[] = [];
  for (const failure of earlierFailures) failures.set(`${failure.reporter}/${failure.phase}`, failure);

  function record(reporter: string, phase: ReporterFailure["phase"], error: unknown): void {
    const key = `${reporter}/${phase}`;
    const previous = failures.get(key);
    // Keep the first message: later ones are usually the same fault repeating per event.
    failures.set(key, previous ? { ...previous, count: previous.count + 1 } : { reporter, phase, message: errorMessage(error), count: 1 });
  }

  function collect(written: string[] | void): void {
    for (const file of written ?? []) if (!files.includes(file)) files.push(file);
  }

  async function end(reporter: Reporter, report: Report): Promise<string[] | void> {
    try {
      return await reporter.onEnd?.(report);
    } catch (error) {
      record(reporter.name, "end", error);
    }
  }

  return {
    name: "multiplexer",
    reporters,
    files,
    get failures() {
      return [...failures.values()];
    },
    onEvent(event: RunEvent) {
      for (const reporter of reporters) {
        try {
          reporter.onEvent?.(event);
        } catch (error) {
          record(reporter.name, "event", error);
        }
      }
    },
    flush() {
      for (const reporter of reporters) {
        try {
          reporter.flush?.();
        } catch (error) {
          record(reporter.name, "event", error);
        }
      }
    },
    async onEnd(report: Report) {
      const writers = reporters.filter((r) => !isClosingReporter(r));
      // Collected in configuration order, not completion order, so the file list is stable.
      for (const written of await Promise.all(writers.map((reporter) => end(reporter, report)))) collect(written);
      // A failure is shown once: by a closing reporter that received it and finished, or here.
      const shown = new Set<ReporterFailure>();
      for (const closer of reporters.filter(isClosingReporter)) {
        const handed = [...failures.values()];
        try {
          collect(await closer.onEnd(report, { files: [...files], failures: handed }));
          for (const failure of handed) shown.add(failure);
        } catch (error) {
          record(closer.name, "end", error);
        }
      }
      for (const failure of failures.values()) {
        if (!shown.has(failure)) ctx.stdout.write(`${describeFailure(failure)}\n`);
      }
      return [...files];
    },
  };
}
