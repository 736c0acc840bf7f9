/**
 * Replay benchmark: how fast the gate replays the shipped datasets, how that compares with the
 * bare cost of the LLM client it drives, and whether memory grows across repeated runs.
 * Figures are ratios inside one process, since the machines here are shared and noisy.
 *
 *   pnpm bench [--reps 5]
 */
import { PassThrough } from "node:stream";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { runEval } from "../runner/run.ts";

const { values } = parseArgs({ options: { reps: { type: "string", default: "5" }, config: { type: "string", default: "eval.config.ts" } } });
const reps = Number(values.reps);
const outDir = mkdtempSync(join(tmpdir(), "evalgate-bench-"));
const sink = new PassThrough();
sink.resume();

async function gateOnce(concurrency: number) {
  const started = performance.now();
  const { report, lock } = await runEval({
    configPath: values.config, mode: "replay", filters: { graphs: [], versions: [], tags: [], examples: [] },
    shard: null, strict: false, concurrency, outDir, reporters: ["json"], command: "pnpm eval", env: {}, stdout: sink,
  });
  // As the CLI does after each run: the out-dir lock and its exit handler go (11 runs left 11 handlers).
  lock.release();
  return { ms: performance.now() - started, examples: report.counts.total, calls: report.usage.llm_calls, regressions: report.counts.regression };
}

/** The floor: the same number of ChatOpenAI.invoke() calls against a canned in-process fetch. */
async function clientFloor(calls: number) {
  const body = JSON.stringify({ id: "c", object: "chat.completion", created: 0, model: "gpt-4o-mini", choices: [{ index: 0, message: { role: "assistant", content: "{\"answer\":\"ok\"}" }, finish_reason: "stop" }], usage: { prompt_tokens: 400, completion_tokens: 20, total_tokens: 420 } });
  const llm = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-bench-placeholder", maxRetries: 0, configuration: { baseURL: "http://bench.invalid/v1", fetch: (async () => new Response(body, { headers: { "content-type": "application/json" } })) as typeof fetch } });
  const started = performance.now();
  for (let i = 0; i < calls; i++) await llm.invoke([new SystemMessage("You are terse."), new HumanMessage(`question ${i}`)]);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

await gateOnce(2); // warm-up: module loading and JIT
const rss: number[] = [];
const c1: number[] = [];
const c2: number[] = [];
let shape = { examples: 0, calls: 0, regressions: 0 };
for (let i = 0; i < reps; i++) {
  const a = await gateOnce(1);
  const b = await gateOnce(2);
  c1.push(a.ms);
  c2.push(b.ms);
  shape = a;
  globalThis.gc?.();
  rss.push(process.memoryUsage().rss);
}
const floor: number[] = [];
for (let i = 0; i < reps; i++) floor.push(await clientFloor(shape.calls));
rmSync(outDir, { recursive: true, force: true });

const m1 = median(c1);
const m2 = median(c2);
const mf = median(floor);
console.log(`replay of the shipped datasets: ${shape.examples} examples, ${shape.calls} LLM calls, ${shape.regressions} regressions, ${reps} reps (medians)`);
console.log(`  concurrency 1: ${m1.toFixed(0)} ms  (${(m1 / shape.examples).toFixed(2)} ms/example, ${(shape.examples / (m1 / 1000)).toFixed(0)} examples/s)`);
console.log(`  concurrency 2: ${m2.toFixed(0)} ms  (speed-up ×${(m1 / m2).toFixed(2)} over concurrency 1)`);
console.log(`  bare ChatOpenAI.invoke() ×${shape.calls} with a canned fetch: ${mf.toFixed(0)} ms  → the gate costs ×${(m1 / mf).toFixed(2)} the client floor`);
console.log(`  RSS after each rep: ${rss.map(mib).join(", ")} MiB  (growth first→last: ${mib(rss.at(-1)! - rss[0]!)} MiB)`);
