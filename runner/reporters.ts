import type { EvalConfig, ReporterName } from "../core/config.ts";
import type { ReporterContext } from "../core/reporter.ts";
import { otlpReporter } from "../exporters/otlp.ts";
import { knownSecrets } from "./redaction.ts";
import { builtinReporters, createReporters, type MultiReporter } from "../reports/index.ts";

/**
 * The reporters of a run or a merge: the configured names (or the command line's), plus the OTLP
 * exporter whenever the standard OTLP endpoint variable is set. `preRedacted`: every result was
 * redacted by this run's local redactor with all PII rules on (a run, not a merge of files).
 */
export function runReporters(names: readonly ReporterName[], ctx: ReporterContext, config: EvalConfig, preRedacted = false): MultiReporter {
  const otlpEndpoint = ctx.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || ctx.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  return createReporters([...names, ...(otlpEndpoint ? (["otlp"] as const) : [])], ctx, {
    ...builtinReporters,
    otlp: otlpReporter({ ...(otlpEndpoint ? { endpoint: otlpEndpoint } : {}), redact: [...config.redact.patterns, ...config.langsmith.redact], secrets: knownSecrets(config, ctx.env), preRedacted }),
  });
}
