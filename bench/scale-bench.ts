/**
 * Scale benchmark: the CLI (compiled, as users run it) replays 2,500 / 5,000 / 10,000 examples of
 * 3 LLM calls + 2 tool calls each, runs interleaved over the sizes. Prints wall time, peak RSS (the
 * whole process, every worker thread included), ms per example, the marginal cost between sizes
 * and RSS growth per example, and checks every report: each example exactly once, 3 + 2 calls,
 * its own answer, the right verdict. Machines here are shared: read the ratios inside one run.
 *
 *   pnpm bench:scale [--sizes 2500,5000,10000] [--runs 2] [--workers auto]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { exampleId, isKnownFailure, prepareScaleProject } from "./scale-project.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "2500,5000,10000" },
    runs: { type: "string", default: "2" },
    workers: { type: "string", default: "auto" },
    // Inside the checkout, so the generated agent resolves @langchain/core and zod from its node_modules.
    project: { type: "string", default: resolve(import.meta.dirname, ".scale") },
  },
});
const sizes = values.sizes.split(",").map(Number);
const runs = Number(values.runs);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1) {
  console.error("usage: pnpm bench:scale [--sizes 2500,5000,10000] [--runs 2] [--workers auto|N] [--project DIR]");
  process.exit(2);
}

const repo = resolve(import.meta.dirname, "..");
const compiled = join(repo, "dist", "cli", "bin.js");
if (!existsSync(compiled)) {
  console.error("bench:scale measures the compiled CLI: run `pnpm build` first");
  process.exit(2);
}
const probe = join(repo, "bench", "max-rss-probe.ts");
const cli = [process.execPath, compiled];

const project = await prepareScaleProject(resolve(values.project), sizes, cli, (line) => console.log(`  ${line}`));

interface Sample { n: number; wallMs: number; maxRssKb: number; check: string }

/** What check-scale asks of a report: all N once, 3 + 2 calls, the example's own answer, the right verdict. */
function checkReport(file: string, n: number): string | null {
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    examples: { id: string; verdict: string; usage: { llm_calls: number }; spans: { kind: string; name: string }[]; output: { answer?: string } | null }[];
    counts: { total: number; ok: number; known_failure: number; regression: number };
    gate: { exit_code: number };
  };
  const byId = new Map(report.examples.map((e) => [e.id, e]));
  if (report.examples.length !== n || byId.size !== n) return `${report.examples.length} rows, ${byId.size} distinct ids for ${n} examples`;
  for (let i = 1; i <= n; i++) {
    const e = byId.get(exampleId(i));
    if (!e) return `${exampleId(i)} is missing`;
    const tools = e.spans.filter((s) => s.kind === "tool").map((s) => s.name).join(",");
    if (e.usage.llm_calls !== 3 || tools !== "tool:lookup_order,tool:get_policy") return `${e.id}: ${e.usage.llm_calls} LLM calls, tools ${tools}`;
    if (!e.output?.answer?.includes(`order #${100000 + i}.`)) return `${e.id}: the answer is not about its own order`;
    const want = isKnownFailure(i) ? "known_failure" : "ok";
    if (e.verdict !== want) return `${e.id}: verdict ${e.verdict}, expected ${want}`;
  }
  const known = Math.floor(n / 100);
  if (report.counts.ok !== n - known || report.counts.known_failure !== known || report.gate.exit_code !== 0) return `counts ${JSON.stringify(report.counts)}, exit ${report.gate.exit_code}`;
  return null;
}

function runOnce(n: number): Sample {
  const out = mkdtempSync(join(tmpdir(), `evalgate-scale-${n}-`));
  const rssFile = join(out, "max-rss");
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--import", probe, compiled, "-o", out, "--workers", values.workers], {
    cwd: project.dir,
    env: { ...project.env(n), EVALGATE_BENCH_RSS_FILE: rssFile },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  const problem = run.status !== 0 ? `exit ${run.status}: ${run.stderr.slice(-500)}` : checkReport(join(out, "report.json"), n);
  const maxRssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : NaN;
  rmSync(out, { recursive: true, force: true });
  return { n, wallMs, maxRssKb, check: problem ?? "ok" };
}

const samples: Sample[] = [];
for (let r = 1; r <= runs; r++) {
  for (const n of sizes) {
    const s = runOnce(n);
    samples.push(s);
    console.log(`  run ${r} N=${n}: ${(s.wallMs / 1000).toFixed(2)} s, peak RSS ${(s.maxRssKb / 1024).toFixed(0)} MiB, report ${s.check}`);
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const rows = sizes.map((n) => {
  const mine = samples.filter((s) => s.n === n);
  return { n, wall: median(mine.map((s) => s.wallMs)), rss: median(mine.map((s) => s.maxRssKb)), ok: mine.every((s) => s.check === "ok") };
});
console.log(`\nscale: ${rows.length} sizes × ${runs} runs, 3 LLM + 2 tool calls per example, --workers ${values.workers} (medians)`);
console.log("| examples | wall s | ms/example | peak RSS MiB | reports |");
console.log("|---:|---:|---:|---:|---|");
for (const r of rows) console.log(`| ${r.n} | ${(r.wall / 1000).toFixed(2)} | ${(r.wall / r.n).toFixed(2)} | ${(r.rss / 1024).toFixed(0)} | ${r.ok ? "all checked ok" : "FAILED"} |`);
for (let i = 1; i < rows.length; i++) {
  const a = rows[i - 1]!;
  const b = rows[i]!;
  const dn = b.n - a.n;
  console.log(`marginal ${a.n}→${b.n}: ${((b.wall - a.wall) / dn).toFixed(3)} ms/example, RSS ${(((b.rss - a.rss) * 1024) / dn / 1024).toFixed(1)} KiB/example`);
}
if (rows.length >= 3) {
  const [a, b, c] = [rows[0]!, rows[1]!, rows.at(-1)!];
  const early = (b.wall - a.wall) / (b.n - a.n);
  const late = (c.wall - b.wall) / (c.n - b.n);
  console.log(`linearity: marginal cost of the last step is ×${(late / early).toFixed(2)} the first (1.00 = linear)`);
}
process.exit(rows.every((r) => r.ok) ? 0 : 1);
