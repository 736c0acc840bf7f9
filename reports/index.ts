import type { ReporterName } from "../core/config.ts";
import type { Reporter, ReporterContext, ReporterFactory } from "../core/reporter.ts";
import { errorMessage, type ReporterFailure } from "./closing-reporter.ts";
import { createConsoleReporter } from "./console.ts";
import { createGithubReporter } from "./github.ts";
import { createHtmlReporter } from "./html.ts";
import { createJsonReporter } from "./json.ts";
import { createJunitReporter } from "./junit.ts";
import { createMarkdownReporter } from "./markdown.ts";
import { multiplexReporters, type MultiReporter } from "./multiplex.ts";

export type { ClosingReporter, ReporterFailure, RunOutputs } from "./closing-reporter.ts";
export type { MultiReporter } from "./multiplex.ts";
export { renderMarkdownSummary } from "./markdown.ts";
export { renderHtmlReport, writeHtmlReport } from "./html.ts";

/** Reporters that live in reports/. "otlp" is an exporter (exporters/) that the runner adds. */
export type BuiltinReporterName = Exclude<ReporterName, "otlp">;

/**
 * Every configurable name may have a factory; the built-in ones always do. The runner
 * completes the table with the exporters it owns:
 *   createReporters(names, ctx, { ...builtinReporters, otlp: createOtlpReporter })
 */
export type ReporterTable = Readonly<Record<BuiltinReporterName, ReporterFactory>> &
  Readonly<Partial<Record<ReporterName, ReporterFactory>>>;

export const builtinReporters: ReporterTable = {
  console: createConsoleReporter,
  json: createJsonReporter,
  junit: createJunitReporter,
  markdown: createMarkdownReporter,
  github: createGithubReporter,
  html: createHtmlReporter,
};

/**
 * Builds the configured reporters behind one Reporter. `ctx.command` (how the user runs
 * evalgate, e.g. "pnpm eval") is used in the reproduce commands the reporters print. A name without a factory, or a
 * factory that throws, is recorded as a failure and the remaining reporters still run.
 */
export function createReporters(
  names: readonly ReporterName[],
  ctx: ReporterContext & { readonly command?: string },
  table: ReporterTable = builtinReporters,
): MultiReporter {
  const reporters: Reporter[] = [];
  const failures: ReporterFailure[] = [];
  for (const name of new Set(names)) {
    const factory = table[name];
    if (!factory) {
      failures.push({
        reporter: name,
        phase: "create",
        message: `no factory is registered for "${name}" (listed in the config's reporters). Remove it from eval.config.ts reporters, or register it in the table passed to createReporters.`,
        count: 1,
      });
      continue;
    }
    try {
      reporters.push(factory(ctx));
    } catch (error) {
      failures.push({ reporter: name, phase: "create", message: errorMessage(error), count: 1 });
    }
  }
  return multiplexReporters(reporters, ctx, failures);
}
