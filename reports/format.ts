import path from "node:path";
import type { ExampleResult, Report, Verdict } from "../core/report.ts";
import { byCodeUnits } from "../core/order.ts";

/** Shared wording and number formats, so every reporter names things the same way. */

/** "admin_chat@v1": how datasets are named everywhere (LangSmith, JUnit, summaries). */
export function datasetLabel(graph: string, version: number): string {
  return `${graph}@v${version}`;
}

export function exampleDataset(example: ExampleResult): string {
  return datasetLabel(example.graph, example.dataset_version);
}

/** "admin_chat@v1 count-companies" */
export function exampleLabel(example: ExampleResult): string {
  return `${exampleDataset(example)} ${example.id}`;
}

export const VERDICT_ORDER: readonly Verdict[] = ["regression", "fixed", "known_failure", "ok"];

export function verdictWord(verdict: Verdict, count = 1): string {
  switch (verdict) {
    case "ok":
      return "ok";
    case "regression":
      return count === 1 ? "regression" : "regressions";
    case "fixed":
      return "fixed";
    case "known_failure":
      return count === 1 ? "known failure" : "known failures";
  }
}

/**
 * Why an example did not pass, one entry per failing score plus the error if any.
 * These are the lines a reviewer acts on, so the scorer name stays in front of each reason.
 */
export function failureReasons(example: ExampleResult): string[] {
  const reasons = example.scores.filter((score) => !score.pass).map((score) => `${score.name}: ${score.reason}`);
  // The error says what to fix; the note says why it counts against a known failure.
  if (example.verdict_note && !example.error) reasons.unshift(example.verdict_note);
  if (example.error) reasons.push(errorLine(example.error));
  if (example.verdict_note && example.error) reasons.push(example.verdict_note);
  if (reasons.length === 0 && example.outcome !== "pass") {
    reasons.push(`outcome ${example.outcome}, with no failing score recorded`);
  }
  return reasons;
}

export function errorLine(error: NonNullable<ExampleResult["error"]>): string {
  return `${error.kind}: ${error.message}`;
}

/** The sentence shown for a `fixed` example: what happened and what to do about it. */
export function fixedNote(strict: boolean): string {
  const effect = strict ? "this fails the gate under --strict" : "the gate passes, but --strict would fail";
  return `marked pass: false but now passes; flip it to pass: true in the dataset (${effect})`;
}

export const KNOWN_FAILURE_NOTE = "known failure: marked pass: false and still fails, as expected; not a failure of the gate";

/** Quotes an argument only when the shell would otherwise split or expand it. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export const DEFAULT_COMMAND = "pnpm eval";

/** How the user runs evalgate ("pnpm eval", "node cli/bin.ts"); the package script when unknown. */
export function invocation(ctx: { readonly command?: string }): string {
  const command = ctx.command;
  return command !== undefined && command.trim() !== "" ? command : DEFAULT_COMMAND;
}

/** The command a developer runs to replay exactly this example (ids may repeat across versions). */
export function reproduceCommand(example: ExampleResult, command: string = DEFAULT_COMMAND): string {
  return `${command} --graph ${shellQuote(example.graph)} --dataset-version ${example.dataset_version} --example ${shellQuote(example.id)}`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "n/a";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes} min ${String(seconds).padStart(2, "0")} s`;
}

/**
 * 1234567 → "1,234,567". Whole numbers are grouped here rather than by toLocaleString, whose first
 * call loads ICU's number formatting (about 14 ms of a 0.3 s run, for one summary line).
 */
export function formatTokens(tokens: number): string {
  if (!Number.isSafeInteger(tokens)) return tokens.toLocaleString("en-US");
  const digits = String(Math.abs(tokens));
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return tokens < 0 ? `-${grouped}` : grouped;
}

/** Eval runs often cost fractions of a cent, so small amounts keep four decimals. */
export function formatUsd(usd: number | null): string {
  if (usd === null) return "n/a";
  if (usd === 0) return "$0.00";
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** Sum of known costs; `complete` is false when some example had no price. */
export function sumCost(examples: readonly ExampleResult[]): { usd: number | null; complete: boolean } {
  let usd = 0;
  let known = 0;
  for (const example of examples) {
    if (example.cost_usd !== null) {
      usd += example.cost_usd;
      known += 1;
    }
  }
  return { usd: known === 0 ? null : usd, complete: known === examples.length };
}

export function formatCostSum(examples: readonly ExampleResult[]): string {
  const { usd, complete } = sumCost(examples);
  if (usd === null) return "n/a";
  return complete ? formatUsd(usd) : `≥ ${formatUsd(usd)}`;
}

export function tokensLine(usage: Report["usage"]): string {
  const source = usage.recorded ? "recorded" : "measured";
  return `${formatTokens(usage.total_tokens)} tokens (${formatTokens(usage.input_tokens)} in / ${formatTokens(usage.output_tokens)} out, ${usage.llm_calls} LLM calls, ${source})`;
}

export function countsLine(counts: Report["counts"]): string {
  const parts = VERDICT_ORDER.map((verdict) => `${counts[verdict]} ${verdictWord(verdict, counts[verdict])}`);
  return `${counts.total} examples: ${parts.join(", ")}`;
}

export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/**
 * Cut a one-line reason near `max` characters at a word boundary, and never inside a path: a
 * file name cut in half (`datasets/admin_chat/recor…`) is worse than a slightly longer line.
 */
export function truncateWords(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  // The word that the limit falls in: kept whole when it is a path, else dropped.
  const wordStart = chars.lastIndexOf(" ", max - 1) + 1;
  let wordEnd = wordStart;
  while (wordEnd < chars.length && chars[wordEnd] !== " ") wordEnd++;
  const word = chars.slice(wordStart, wordEnd).join("");
  const isPath = /[\\/]|\.(json|ya?ml|ts|js)\b/.test(word);
  const cut = isPath && wordEnd - max <= 120 ? wordEnd : wordStart > max / 2 ? wordStart : max - 1;
  if (cut >= chars.length) return text;
  return `${chars.slice(0, cut).join("").trimEnd()} …`;
}

/** Examples grouped by dataset, in the report's dataset order, then by line in the file. */
export function groupByDataset(report: Report): Array<{ label: string; file: string; examples: ExampleResult[] }> {
  const groups = new Map<string, { label: string; file: string; examples: ExampleResult[] }>();
  for (const dataset of report.datasets) {
    const label = datasetLabel(dataset.graph, dataset.version);
    groups.set(label, { label, file: dataset.file, examples: [] });
  }
  for (const example of report.examples) {
    const label = exampleDataset(example);
    let group = groups.get(label);
    if (!group) {
      group = { label, file: example.file, examples: [] };
      groups.set(label, group);
    }
    group.examples.push(example);
  }
  for (const group of groups.values()) group.examples.sort(byLocation);
  return [...groups.values()].filter((group) => group.examples.length > 0);
}

export function byLocation(a: ExampleResult, b: ExampleResult): number {
  return byCodeUnits(a.file, b.file) || a.line - b.line || byCodeUnits(a.id, b.id);
}

/** Regressions first, then fixed; each in file order. */
export function actionableExamples(report: Report): ExampleResult[] {
  const regressions = report.examples.filter((e) => e.verdict === "regression").sort(byLocation);
  const fixed = report.examples.filter((e) => e.verdict === "fixed").sort(byLocation);
  return [...regressions, ...fixed];
}

/**
 * An example's file as the hosting CI sees it. Report files are relative to the project root;
 * on GitHub Actions annotations and links resolve against the checkout (GITHUB_WORKSPACE),
 * which differs when evalgate runs in a sub-folder of the repository.
 */
export function sourcePath(file: string, rootDir: string, env: NodeJS.ProcessEnv): string {
  const workspace = env.GITHUB_WORKSPACE;
  if (!workspace) return toPosix(file);
  const relative = path.relative(workspace, path.resolve(rootDir, file));
  if (relative.startsWith("..") || path.isAbsolute(relative)) return toPosix(file);
  return toPosix(relative);
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

/** A browsable URL for file:line on GitHub, when the environment says where the code lives. */
export function githubBlobUrl(
  file: string,
  line: number,
  rootDir: string,
  env: NodeJS.ProcessEnv,
  sha: string | null,
): string | undefined {
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
  const commit = sha ?? env.GITHUB_SHA;
  if (!server || !repository || !commit) return undefined;
  const repoPath = sourcePath(file, rootDir, env).split("/").map(encodeURIComponent).join("/");
  return `${server}/${repository}/blob/${commit}/${repoPath}#L${line}`;
}
