import type { Redactor } from "./redact.ts";
import type { Report, RunEvent } from "./report.ts";

export interface ReporterContext {
  /** Absolute output directory (created before reporters run). */
  readonly outDir: string;
  /** Absolute project root; example files in the report are relative to it. */
  readonly rootDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Where human-readable output goes (process.stdout in the CLI, a buffer in tests). */
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** How the user runs evalgate ("pnpm eval"), for the reproduce commands reporters print. */
  readonly command?: string;
  /**
   * For what a reporter sends off the machine or into a shared page (GitHub annotations, the step
   * summary): the run's keys, patterns and PII. Local files are already redacted by the runner.
   */
  readonly redactor?: Redactor;
}

/**
 * Reporters see the same event stream the report is folded from, then the finished report.
 * They import only core/: no runner internals.
 */
export interface Reporter {
  readonly name: string;
  onEvent?(event: RunEvent): void;
  /**
   * Writes out whatever output it holds back (the console passes example lines on in batches), so
   * a message the runner writes itself lands after the lines of the examples that came before it.
   */
  flush?(): void;
  /** Returns the files it wrote (absolute paths), for the closing summary. */
  onEnd?(report: Report): Promise<string[] | void>;
}

export type ReporterFactory = (ctx: ReporterContext) => Reporter;
