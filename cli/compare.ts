import { execFileSync } from "node:child_process";
import { extname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Comparison } from "../core/compare.ts";
import type { Redactor } from "../core/redact.ts";
import { fitComment } from "../exporters/github/fit-comment.ts";
import { postStickyComment } from "../exporters/github/pr-comment.ts";
import { readPullRequestContext } from "../exporters/github/pr-context.ts";
import { writeFileAtomic } from "../reports/atomic-write.ts";
import { COMPARE_MARKER, compareSections, renderCompareMarkdown } from "../reports/compare-markdown.ts";
import { formatTokens, formatUsd, verdictWord } from "../reports/format.ts";
import { writeHtmlReport } from "../reports/html.ts";
import { resolveBaseline, recordingsUnder } from "../runner/compare/base.ts";
import { compareReports } from "../runner/compare/build.ts";
import type { RunResult } from "../runner/run.ts";
import type { RunArgs } from "./args.ts";

// bin.ts from source, bin.js from the package: the sibling of this very file.
const BIN = fileURLToPath(new URL(`./bin${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

export interface CompareArgs {
  base: string;
  comment: boolean;
}

interface Io {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * After the head's run has finished (reports written, upload done): build the baseline, compare,
 * write compare.json, compare.md and report.html with the baseline, print the summary and
 * optionally post the PR comment. Returns nothing: the exit code stays the head's gate.
 */
export async function compareWithBase(result: RunResult, run: RunArgs, compare: CompareArgs, io: Io): Promise<void> {
  const say = (line = "") => io.stdout.write(`${line}\n`);
  const { loaded, report, outDir } = result;
  const baseline = await resolveBaseline({
    base: compare.base,
    rootDir: loaded.rootDir,
    configRel: relative(loaded.rootDir, loaded.file),
    bin: BIN,
    filterArgs: filterArgs(run),
    env: io.env,
  });
  try {
    const comparison = compareReports({
      base: baseline.report,
      head: report,
      baseSide: { source: baseline.source, label: baseline.label },
      headSide: { source: "run", label: `${report.run.git.branch ?? "working tree"}${uncommittedChanges(loaded.rootDir) ? " with uncommitted changes" : ""}` },
      baseExchange: baseline.exchange,
      headExchange: recordingsUnder(loaded.rootDir),
      ignoreDataKeys: loaded.config.compare.ignore_data_keys,
    });
    const markdown = renderCompareMarkdown(comparison);
    const files = [resolve(outDir, "compare.json"), resolve(outDir, "compare.md")];
    await writeFileAtomic(files[0]!, `${JSON.stringify(comparison, null, 2)}\n`);
    await writeFileAtomic(files[1]!, markdown);
    files.push(await writeHtmlReport(outDir, report, comparison));
    printSummary(comparison, say);
    say(`  files: ${files.map((f) => relative(process.cwd(), f)).join(", ")}`);
    if (compare.comment) await postComment(comparison, result.redaction.outside, io.env, say);
  } finally {
    await baseline.dispose();
  }
}

function filterArgs(run: RunArgs): string[] {
  const { graphs, versions, tags, examples } = run.filters;
  return [...graphs.flatMap((g) => ["--graph", g]), ...versions.flatMap((v) => ["--dataset-version", v]), ...tags.flatMap((t) => ["--tag", t]), ...examples.flatMap((e) => ["--example", e])];
}

const SHOWN = 20;

function printSummary(c: Comparison, say: (line?: string) => void): void {
  const short = (sha: string | null) => (sha ? ` (${sha.slice(0, 7)})` : "");
  say("");
  say(`evalgate compare: ${c.head.label}${short(c.head.sha)} against ${c.base.label}${short(c.base.sha)}: ${c.counts.changed} changed, ${c.counts.added} added, ${c.counts.removed} removed, ${c.counts.unchanged} unchanged; ${c.counts.verdict_changes} verdict change(s)`);
  const listed = c.examples.filter((e) => e.status !== "unchanged");
  for (const e of listed.slice(0, SHOWN)) {
    const v = (x: typeof e.base_verdict) => (x === null ? "—" : verdictWord(x));
    const what = e.status === "changed" ? e.changed.join(", ") : e.status;
    say(`  ${e.status.padEnd(8)} ${e.graph}@v${e.dataset_version} ${e.id}: ${what} (${v(e.base_verdict)} → ${v(e.head_verdict)})`);
  }
  if (listed.length > SHOWN) say(`  … and ${listed.length - SHOWN} more in compare.md`);
  for (const d of c.datasets.filter((x) => x.status !== "both")) say(`  dataset ${d.graph}@v${d.version} is ${d.status === "added" ? "new in head" : "only in the base"}`);
  const { base, head } = c.totals;
  say(`  tokens ${formatTokens(base.tokens)} → ${formatTokens(head.tokens)} · LLM calls ${base.steps} → ${head.steps} · cost ${formatUsd(base.cost_usd)} → ${formatUsd(head.cost_usd)}`);
}

async function postComment(c: Comparison, redactor: Redactor, env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<void> {
  const context = readPullRequestContext(env);
  if (!context.ok) {
    say(`evalgate: no PR comment: ${context.reason} (the verdict stands)`);
    return;
  }
  // The comment is public to everyone who can read the repository: PII goes, whatever local_pii says.
  const body = fitComment(compareSections(c).map((s) => ({ text: redactor.string(s.text), cuttable: s.cuttable })));
  const posted = await postStickyComment({ context, body, marker: COMPARE_MARKER });
  say(posted.posted ? `evalgate: PR comment ${posted.action}: ${posted.url}` : `evalgate: the PR comment could not be posted (the verdict stands): ${posted.error}`);
}

/**
 * Whether tracked files differ from HEAD: the head side of a comparison is the working tree, and
 * "main (ad6067c)" would claim a commit that does not hold what ran. Unknown (not a repository) is no.
 */
function uncommittedChanges(cwd: string): boolean {
  try {
    return execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() !== "";
  } catch {
    return false;
  }
}
