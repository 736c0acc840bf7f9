import type { Comparison, DiffPart, ExampleChange } from "../core/compare.ts";
import { formatTokens, formatUsd, verdictWord } from "./format.ts";

/**
 * compare.md and the sticky PR comment: the verdict and the regressions first, then what the change
 * did to each example, changed answers in collapsed <details>. Built as sections so the comment can
 * cut the longest ones (never the verdict) to fit GitHub's size limit.
 */

export interface CompareSection {
  text: string;
  /** The verdict and the regressions must survive any cut; the per-example details may be shortened. */
  cuttable: boolean;
}

export const COMPARE_MARKER = "<!-- evalgate:compare -->";

const escapeHtml = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const cell = (text: string) => escapeHtml(text).replaceAll("|", "\\|").replaceAll("\n", " ");
const label = (c: Pick<ExampleChange, "graph" | "dataset_version" | "id">) => `${c.graph}@v${c.dataset_version} ${c.id}`;
const verdict = (v: ExampleChange["base_verdict"]) => (v === null ? "—" : v === "regression" ? "**REGRESSION**" : verdictWord(v));

function sideLabel(side: Comparison["base"]): string {
  const sha = side.sha ? ` (${side.sha.slice(0, 7)})` : "";
  return `${side.label}${sha}`;
}

function delta(a: number | null, b: number | null, format: (n: number) => string): string {
  if (a === null || b === null) return `${a === null ? "n/a" : format(a)} → ${b === null ? "n/a" : format(b)}`;
  const d = b - a;
  const sign = d > 0 ? "+" : d < 0 ? "−" : "±";
  return `${format(a)} → ${format(b)} (${sign}${format(Math.abs(d))})`;
}

/** A word diff as HTML GitHub renders inside <details>: removed words struck, added words underlined. */
export function renderDiff(diff: readonly DiffPart[]): string {
  return diff.map((p) => (p.op === "equal" ? escapeHtml(p.text) : p.op === "insert" ? `<ins>${escapeHtml(p.text)}</ins>` : `<del>${escapeHtml(p.text)}</del>`)).join("");
}

function header(c: Comparison): string {
  const state = c.gate.passed ? "passed" : "FAILED";
  const { changed, added, removed, unchanged, verdict_changes } = c.counts;
  return [
    COMPARE_MARKER,
    `## evalgate: gate ${state} (exit ${c.gate.exit_code}) — ${c.gate.reason}`,
    "",
    `Compared **${sideLabel(c.head)}** with **${sideLabel(c.base)}**: ${changed} changed, ${added} added, ${removed} removed, ${unchanged} unchanged; ${verdict_changes} verdict change(s).`,
    "",
    "| | base | head |",
    "| --- | --- | --- |",
    `| examples | ${c.totals.base.examples} | ${c.totals.head.examples} |`,
    `| LLM calls | ${c.totals.base.steps} | ${c.totals.head.steps} (${signed(c.totals.head.steps - c.totals.base.steps, String)}) |`,
    `| tokens | ${formatTokens(c.totals.base.tokens)} | ${formatTokens(c.totals.head.tokens)} (${signed(c.totals.head.tokens - c.totals.base.tokens, formatTokens)}) |`,
    `| cost | ${formatUsd(c.totals.base.cost_usd)} | ${formatUsd(c.totals.head.cost_usd)}${c.totals.base.cost_usd !== null && c.totals.head.cost_usd !== null ? ` (${signed(c.totals.head.cost_usd - c.totals.base.cost_usd, usdDelta)})` : ""} |`,
    ...(c.langsmith?.experiment_url ? ["", `LangSmith experiment: ${c.langsmith.experiment_url}`] : []),
    "",
  ].join("\n");
}

/** Cost deltas are often millionths of a dollar: two significant digits instead of "$0.0000". */
function usdDelta(usd: number): string {
  return usd !== 0 && usd < 0.0001 ? `$${Number(usd.toPrecision(2)).toFixed(12).replace(/0+$/, "")}` : formatUsd(usd);
}

function signed(d: number, format: (n: number) => string): string {
  return `${d > 0 ? "+" : d < 0 ? "−" : "±"}${format(Math.abs(d))}`;
}

function datasetNotes(c: Comparison): string {
  const notes = c.datasets.filter((d) => d.status !== "both").map((d) => {
    const others = c.datasets.filter((o) => o.graph === d.graph && o.version !== d.version).map((o) => `v${o.version}`);
    const also = others.length ? ` (${d.graph} also has ${others.join(", ")}, compared version by version)` : "";
    return `- dataset **${d.graph}@v${d.version}** is ${d.status === "added" ? "new in head" : "only in base"}${also}; its examples are listed as ${d.status}`;
  });
  return notes.length ? `### Datasets\n\n${notes.join("\n")}\n` : "";
}

function regressions(c: Comparison): string {
  const list = c.examples.filter((e) => e.head_verdict === "regression");
  if (!list.length) return "";
  const rows = list.map((e) => {
    const failing = e.checks.filter((k) => k.head && !k.head.pass).map((k) => `${k.name}: ${k.head!.reason}`);
    const why = [...(e.error.head ? [e.error.head] : []), ...failing].join("; ") || "see the report";
    const was = e.base_verdict === null ? "new" : e.base_verdict === "regression" ? "already failing" : `was ${verdictWord(e.base_verdict)}`;
    return `| ${cell(label(e))} | ${was} | \`${cell(e.file)}:${e.line}\` | ${cell(why.length > 300 ? `${why.slice(0, 299)}…` : why)} |`;
  });
  return [`### Regressions (${list.length})`, "", "| example | before | where | why |", "| --- | --- | --- | --- |", ...rows, ""].join("\n");
}

function verdictChanges(c: Comparison): string {
  const list = c.examples.filter((e) => e.status === "changed" && e.base_verdict !== e.head_verdict);
  if (!list.length) return "";
  const rows = list.map((e) => `| ${cell(label(e))} | ${verdict(e.base_verdict)} → ${verdict(e.head_verdict)} | ${e.changed.join(", ")} |`);
  return [`### Verdict changes (${list.length})`, "", "| example | base → head | what changed |", "| --- | --- | --- |", ...rows, ""].join("\n");
}

function exampleDetails(e: ExampleChange): string {
  const lines: string[] = [];
  const flipped = e.checks.filter((k) => k.flipped || k.base?.reason !== k.head?.reason);
  if (flipped.length) {
    lines.push("**Checks**", "");
    for (const k of flipped) {
      const mark = (s: typeof k.base) => (s === null ? "—" : s.pass ? "✓" : "✗");
      lines.push(`- ${k.name}: ${mark(k.base)} → ${mark(k.head)}${k.head && !k.head.pass ? ` — ${escapeHtml(k.head.reason)}` : ""}`);
    }
    lines.push("");
  }
  if (e.answer.diff.length) lines.push("**Answer** (removed words struck, added underlined)", "", `<blockquote>${renderDiff(e.answer.diff)}</blockquote>`, "");
  if (e.data_diff) lines.push("**output.data**", "", "```diff", ...e.data_diff.flatMap((p) => p.text.replace(/\n$/, "").split("\n").map((l) => `${p.op === "insert" ? "+" : p.op === "delete" ? "-" : " "} ${l}`)), "```", "");
  const requests = e.requests.filter((r) => r.status !== "same");
  if (requests.length) {
    lines.push("**LLM requests**", "");
    for (const r of requests) {
      lines.push(`- call #${r.call} ${r.status}${r.explanation.length ? ":" : ""}`);
      for (const x of r.explanation) lines.push(`  <pre>${escapeHtml(x)}</pre>`);
    }
    lines.push("");
  }
  if (e.tools.base.join("\n") !== e.tools.head.join("\n")) lines.push("**Tools**", "", `- base: ${escapeHtml(e.tools.base.join(" → ") || "(none)")}`, `- head: ${escapeHtml(e.tools.head.join(" → ") || "(none)")}`, "");
  if (e.usage.base && e.usage.head) {
    lines.push(`**Usage**: steps ${delta(e.usage.base.steps, e.usage.head.steps, String)}, tokens ${delta(e.usage.base.tokens, e.usage.head.tokens, formatTokens)}, cost ${delta(e.usage.base.cost_usd, e.usage.head.cost_usd, usdDelta)}`, "");
  }
  if (e.error.head && e.error.head !== e.error.base) lines.push(`**Error**: ${escapeHtml(e.error.head)}`, "");
  if (e.trace_url) lines.push(`[LangSmith trace](${e.trace_url})`, "");
  return lines.join("\n");
}

function changedExamples(c: Comparison): CompareSection[] {
  const list = c.examples.filter((e) => e.status === "changed");
  if (!list.length) return [];
  return [
    { text: `### Changed examples (${list.length})\n`, cuttable: false },
    ...list.map((e) => ({
      text: `<details><summary>${escapeHtml(label(e))}: ${e.changed.join(", ")} — ${verdict(e.base_verdict)} → ${verdict(e.head_verdict)} (<code>${escapeHtml(e.file)}:${e.line}</code>)</summary>\n\n${exampleDetails(e)}\n</details>\n`,
      cuttable: true,
    })),
  ];
}

function addedRemoved(c: Comparison): string {
  const out: string[] = [];
  for (const status of ["added", "removed"] as const) {
    const list = c.examples.filter((e) => e.status === status);
    if (!list.length) continue;
    out.push(`### ${status === "added" ? "Added" : "Removed"} examples (${list.length})`, "");
    for (const e of list) out.push(`- ${escapeHtml(label(e))} (${verdict(status === "added" ? e.head_verdict : e.base_verdict)}, \`${e.file}:${e.line}\`)`);
    out.push("");
  }
  return out.join("\n");
}

export function compareSections(c: Comparison): CompareSection[] {
  const sections: CompareSection[] = [
    { text: header(c), cuttable: false },
    { text: datasetNotes(c), cuttable: false },
    { text: regressions(c), cuttable: false },
    { text: verdictChanges(c), cuttable: true },
    ...changedExamples(c),
    { text: addedRemoved(c), cuttable: true },
  ];
  if (c.counts.changed + c.counts.added + c.counts.removed === 0) sections.push({ text: "No example changed.\n", cuttable: false });
  return sections.filter((s) => s.text.length > 0);
}

export function renderCompareMarkdown(c: Comparison): string {
  return compareSections(c).map((s) => s.text).join("\n");
}
