import path from "node:path";
import type { ExampleResult, Report, RunEvent, Verdict } from "../core/report.ts";
import type { ReporterContext } from "../core/reporter.ts";
import { describeFailure, type ClosingReporter, type RunOutputs } from "./closing-reporter.ts";
import {
  byLocation,
  countsLine,
  exampleLabel,
  failureReasons,
  fixedNote,
  formatDuration,
  formatUsd,
  invocation,
  reproduceCommand,
  tokensLine,
  truncate,
  truncateWords,
} from "./format.ts";

export interface ConsoleOptions {
  /** Minimum gap between two redraws of the live progress line. */
  readonly throttleMs?: number;
}

type Style = (text: string) => string;

interface Styles {
  readonly red: Style;
  readonly green: Style;
  readonly yellow: Style;
  readonly dim: Style;
  readonly bold: Style;
}

const sgr = (open: number, close: number): Style => (text) => `\u001B[${open}m${text}\u001B[${close}m`;
const plain: Style = (text) => text;

function styles(enabled: boolean): Styles {
  if (!enabled) return { red: plain, green: plain, yellow: plain, dim: plain, bold: plain };
  return { red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

/** CI=false and CI=0 are how people say "not CI"; any other non-empty value means CI. */
function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI;
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

/** no-color.org: NO_COLOR present and non-empty disables colour. */
function colorWanted(ctx: ReporterContext): boolean {
  return ctx.stdout.isTTY === true && !ctx.env.NO_COLOR;
}

/**
 * Model answers and error messages are untrusted: escape sequences in them could repaint the
 * terminal, and a line they start could be read as a CI workflow command. Control characters
 * become visible, and every continuation line is indented under `indent`.
 */
export function terminalText(text: string, indent: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`)
    .split("\n")
    .join(`\n${indent}`);
}

const LABEL: Record<Verdict, string> = { ok: "ok", regression: "REGRESSION", fixed: "FIXED", known_failure: "known-failure" };

function verdictStyle(s: Styles, verdict: Verdict): Style {
  return { ok: s.green, regression: s.red, fixed: s.yellow, known_failure: s.dim }[verdict];
}

/** "7/10 flaky": what an example's trials came to, for its line. */
function trialsTag(s: Styles, example: ExampleResult): string {
  const t = example.trials;
  if (!t) return "";
  const cls = t.class === "flaky" ? s.yellow("flaky") : t.class === "stable_fail" ? "stable fail" : "stable pass";
  const base = t.baseline ? `, baseline ${t.baseline.passes}/${t.baseline.k}${t.baseline.result === "no_drop" ? "" : ` ${t.baseline.result}${t.baseline.result === "inconclusive" && t.baseline.trials_needed ? ` (~${t.baseline.trials_needed} trials would tell)` : ""}`}` : "";
  return ` ${t.passes}/${t.k} ${cls}${base}`;
}

function exampleLine(s: Styles, example: ExampleResult): string {
  const label = verdictStyle(s, example.verdict)(LABEL[example.verdict]);
  const base = `${label}  ${exampleLabel(example)}${trialsTag(s, example)} ${s.dim(`(${formatDuration(example.duration_ms)})`)}`;
  if (example.verdict !== "regression") return base;
  const first = failureReasons(example)[0];
  return first ? `${base}: ${terminalText(truncateWords(first.replace(/\s+/g, " "), 160), "  ")}` : base;
}

function regressionBlock(s: Styles, example: ExampleResult, command: string): string[] {
  const pad = "    ";
  const lines = [`  ${s.red("✗")} ${s.bold(exampleLabel(example))}${trialsTag(s, example)}`, `${pad}${example.file}:${example.line}`];
  if (example.trials && example.verdict_note) lines.push(`${pad}trials: ${terminalText(example.verdict_note, pad + "  ")}`);
  else if (!example.expected_pass && example.verdict_note) lines.push(`${pad}why: ${terminalText(example.verdict_note, pad + "  ")}`);
  if (example.trials) lines.push(`${pad}${s.dim(`a failing trial (${example.trials.outcomes.map((o) => (o === "pass" ? "✓" : o === "fail" ? "✗" : "!")).join("")}):`)}`);
  for (const score of example.scores.filter((score) => !score.pass)) {
    lines.push(`${pad}${score.name}: ${terminalText(score.reason, pad + "  ")}`);
  }
  if (example.error) {
    lines.push(`${pad}error: ${terminalText(`${example.error.kind}: ${example.error.message}`, pad + "  ")}`);
    if (example.error.hint) lines.push(`${pad}hint: ${terminalText(example.error.hint, pad + "  ")}`);
  }
  if (example.trace_url) lines.push(`${pad}trace: ${example.trace_url}`);
  lines.push(`${pad}reproduce: ${reproduceCommand(example, command)}`);
  return lines;
}

function trialsLine(examples: readonly ExampleResult[]): string | null {
  const tried = examples.filter((e) => e.trials);
  if (!tried.length) return null;
  const count = (c: string) => tried.filter((e) => e.trials!.class === c).length;
  const flaky = tried.filter((e) => e.trials!.class === "flaky" && e.expected_pass).length;
  return `trials: ${tried.length} example(s) run ${[...new Set(tried.map((e) => e.trials!.k))].join("/")} times: ${count("stable_pass")} stable pass, ${count("flaky")} flaky, ${count("stable_fail")} stable fail${flaky ? ` (${flaky} flaky example(s) expected to pass; --strict fails them)` : ""}`;
}

function displayPath(file: string, rootDir: string): string {
  const relative = path.relative(rootDir, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

export function renderConsoleSummary(report: Report, outputs: RunOutputs, ctx: ReporterContext, s: Styles): string[] {
  const lines: string[] = [];
  const regressions = report.examples.filter((e) => e.verdict === "regression").sort(byLocation);
  const fixed = report.examples.filter((e) => e.verdict === "fixed").sort(byLocation);
  if (regressions.length > 0) {
    // A known failure that errored (or failed a check its `fails` does not name) is a regression too.
    const what = regressions.every((e) => e.expected_pass) ? "expected to pass, did not" : "expected to pass and did not, or a known failure that errored or failed another check";
    lines.push("", s.red(s.bold(`Regressions (${regressions.length}): ${what}`)));
    for (const example of regressions) lines.push("", ...regressionBlock(s, example, invocation(ctx)));
  }
  if (fixed.length > 0) {
    lines.push("", s.yellow(s.bold(`Fixed (${fixed.length}): ${fixedNote(report.run.strict)}`)));
    for (const example of fixed) lines.push(`  ${s.yellow("!")} ${exampleLabel(example)}  ${example.file}:${example.line}`);
  }

  const gate = report.gate.passed ? s.green(s.bold("gate passed")) : s.red(s.bold("gate FAILED"));
  lines.push("", `evalgate: ${gate} (exit ${report.gate.exit_code}): ${terminalText(report.gate.reason, "  ")}`);
  lines.push(`  ${countsLine(report.counts)}`);
  const trials = trialsLine(report.examples);
  if (trials) lines.push(`  ${trials}`);
  const stale = staleLine(regressions, invocation(ctx));
  if (stale) lines.push(`  ${s.yellow(stale)}`);
  const mode = `${report.run.mode} mode${report.run.strict ? ", --strict" : ""}`;
  lines.push(`  ${tokensLine(report.usage)} · cost ${formatUsd(report.cost_usd)} · wall ${formatDuration(report.duration_ms)} · ${mode}`);
  if (report.langsmith?.experiment_url) lines.push(`  LangSmith experiment: ${report.langsmith.experiment_url}`);
  if (report.langsmith?.error) lines.push(`  LangSmith upload failed (results stay on disk): ${terminalText(report.langsmith.error, "    ")}`);
  if (outputs.files.length > 0) {
    lines.push(`  files: ${outputs.files.map((file) => displayPath(file, ctx.rootDir)).join(", ")}`);
  }
  for (const failure of outputs.failures) lines.push(s.red(`  ${terminalText(describeFailure(failure), "    ")}`));
  return lines;
}

/**
 * A prompt edit makes many recordings stale at once; each regression names its own re-record
 * command, but the one that fixes them all is what the user wants to see last.
 */
export function staleLine(regressions: readonly ExampleResult[], command: string): string | null {
  const stale = regressions.filter((e) => e.error?.kind === "recording_miss" || e.error?.kind === "recording_unused");
  if (stale.length < 2) return null;
  const scripted = stale.every((e) => e.rerecord_command?.includes("--replies"));
  const graphs = [...new Set(stale.map((e) => e.graph))].sort();
  const which = stale.length === regressions.length ? `all ${stale.length}` : `${stale.length} of the ${regressions.length}`;
  return `${which} regressions are stale or missing recordings (the requests changed): re-record them with ${command} --record${scripted ? " --replies" : ""} --stale ${graphs.map((g) => `--graph ${g}`).join(" ")}`;
}

/** How long a finished example's line may wait to be written with others (no terminal). */
const LINES_WAIT_MS = 100;
const LINES_MAX_CHARS = 64 * 1024;

export function createConsoleReporter(ctx: ReporterContext, options: ConsoleOptions = {}): ClosingReporter {
  const throttleMs = options.throttleMs ?? 100;
  const live = ctx.stdout.isTTY === true && !isCi(ctx.env);
  const s = styles(colorWanted(ctx));
  // Without a terminal (a CI log, a pipe, a file) each finished example is a line, and a write each
  // cost a system call: 10,000 examples spent a second of the main thread in them. Lines are passed
  // on together, at the latest LINES_WAIT_MS after the first of them, and before any other output.
  let lines: string[] = [];
  let lineChars = 0;
  let linesTimer: ReturnType<typeof setTimeout> | undefined;
  let linesSince = 0;
  const flushLines = () => {
    if (linesTimer) clearTimeout(linesTimer);
    linesTimer = undefined;
    if (lines.length === 0) return;
    const text = lines.join("");
    lines = [];
    lineChars = 0;
    ctx.stdout.write(text);
  };
  const writeLine = (text: string) => {
    if (lines.length === 0) {
      linesSince = Date.now();
      linesTimer = setTimeout(flushLines, LINES_WAIT_MS);
      // Pending lines must never keep the process alive after the run.
      linesTimer.unref?.();
    }
    lines.push(text);
    lineChars += text.length;
    // A run that never yields to the event loop (a replay without I/O) would never fire the timer.
    if (lineChars >= LINES_MAX_CHARS || Date.now() - linesSince >= LINES_WAIT_MS) flushLines();
  };
  const write = (text: string) => {
    flushLines();
    ctx.stdout.write(text);
  };

  let planned = 0;
  let done = 0;
  const tally: Record<Verdict, number> = { ok: 0, regression: 0, fixed: 0, known_failure: 0 };
  let lastLabel = "";

  // Live progress line: redrawn in place with \r and padded over, so it needs no ANSI codes.
  let drawnWidth = 0;
  let lastDrawAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function progressText(): string {
    const total = planned > 0 ? planned : done;
    return `[${done}/${total}] ✓ ${tally.ok} ✗ ${tally.regression} ! ${tally.fixed} ~ ${tally.known_failure}  ${lastLabel}`;
  }

  function draw(): void {
    lastDrawAt = Date.now();
    const width = Math.max(20, (ctx.stdout.columns ?? 80) - 1);
    const text = truncate(terminalText(progressText(), " ").replaceAll("\n", " "), width);
    const length = Array.from(text).length;
    write(`\r${text}${" ".repeat(Math.max(0, drawnWidth - length))}`);
    drawnWidth = length;
  }

  function clearProgress(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (drawnWidth > 0) write(`\r${" ".repeat(drawnWidth)}\r`);
    drawnWidth = 0;
  }

  function scheduleDraw(): void {
    const wait = lastDrawAt + throttleMs - Date.now();
    if (wait <= 0) {
      draw();
      return;
    }
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      draw();
    }, wait);
    // A pending redraw must never keep the process alive after the run.
    timer.unref?.();
  }

  function onExampleEnd(example: ExampleResult): void {
    done += 1;
    tally[example.verdict] += 1;
    lastLabel = exampleLabel(example);
    if (!live) {
      writeLine(`${exampleLine(s, example)}\n`);
      return;
    }
    // Regressions and fixed examples stay on screen above the progress line.
    if (example.verdict === "regression" || example.verdict === "fixed") {
      clearProgress();
      write(`${exampleLine(s, example)}\n`);
      draw();
      return;
    }
    scheduleDraw();
  }

  return {
    name: "console",
    closing: true,
    flush() {
      flushLines();
      clearProgress();
    },
    onEvent(event: RunEvent) {
      switch (event.type) {
        case "run-start": {
          planned = event.planned;
          const datasets = event.datasets.length;
          write(
            `evalgate: running ${event.planned} example(s) from ${datasets} dataset(s) (${event.run.mode} mode, concurrency ${event.run.concurrency})\n`,
          );
          return;
        }
        case "example-end":
          onExampleEnd(event.result);
          return;
        case "threads-started":
          if (live) clearProgress();
          write(`evalgate: replaying on ${event.workers} worker thread(s), ${event.per_thread} example(s) at once on each\n`);
          return;
        case "run-end":
          if (live) clearProgress();
          flushLines();
          return;
        case "example-start":
          return;
      }
    },
    async onEnd(report: Report, outputs: RunOutputs = { files: [], failures: [] }) {
      if (live) clearProgress();
      write(`${renderConsoleSummary(report, outputs, ctx, s).join("\n")}\n`);
    },
  };
}
