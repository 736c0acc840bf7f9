/**
 * The scale benchmark's project: one graph whose agent makes 3 LLM calls and 2 tool calls per
 * example (plan → lookup_order + get_policy → draft → review), a dataset of up to `max` examples,
 * and data sets of the first N of them sharing one recordings folder. The recordings are written
 * once by evalgate's own --record mode against a deterministic OpenAI-compatible server on
 * 127.0.0.1 (bench/scale-model-server.ts) and kept between runs; a stamp says for what.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { startScaleModelServer } from "./scale-model-server.ts";

/** Bump when the agent, the data or the model's answers change: old recordings are then re-made. */
const GENERATION = "scale-3llm-2tool-v1";
export const KEY_ENV = "EVALGATE_BENCH_KEY";

const AGENT = `import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { z } from "zod";

const PLAN = "PLAN: decide which facts the answer needs. Reply with one short line.";
const DRAFT = "DRAFT: answer the customer from the order and the policy. Be concrete.";
const REVIEW = "REVIEW: return the final answer to the customer, corrected and polite.";

/** Scale benchmark: plan (LLM) -> two recorded tools -> draft (LLM) -> review (LLM). */
export default {
  graph: "bench",
  input: z.strictObject({ question: z.string(), order: z.string() }),
  maxSteps: 3,
  async run(input, ctx) {
    const plan = await ctx.llm.invoke([new SystemMessage(PLAN), new HumanMessage(input.question)], { signal: ctx.signal });
    const order = await ctx.tools.call("lookup_order", { order: input.order });
    const policy = await ctx.tools.call("get_policy", { topic: "returns" });
    const draft = await ctx.llm.invoke([
      new SystemMessage(DRAFT),
      new HumanMessage(\`Question: \${input.question}\\nOrder: \${order}\\nPolicy: \${policy}\\nPlan: \${String(plan.content)}\`),
    ], { signal: ctx.signal });
    const final = await ctx.llm.invoke([new SystemMessage(REVIEW), new HumanMessage(String(draft.content))], { signal: ctx.signal });
    return { answer: String(final.content), data: { order: input.order } };
  },
};
`;

const CONFIG = `export default {
  datasets: \`sets/n\${process.env.SCALE_N ?? "all"}/*/v*.yaml\`,
  graphs: { bench: "./agents/bench/index.ts" },
  timeoutMs: 30_000,
  outDir: ".evalgate",
  // the shipped eval.config.ts's reporters
  reporters: ["console", "json", "junit", "markdown", "github", "otlp"],
  llm: { model: "gpt-4o-mini", baseURL: "https://api.openai.com/v1", apiKeyEnv: "${KEY_ENV}", temperature: 0 },
};
`;

/** Every 100th example is expected to fail (it asks for "store credit", which no answer offers). */
export const isKnownFailure = (i: number) => i % 100 === 0;
export const exampleId = (i: number) => `case-${String(i).padStart(5, "0")}`;

function datasetYaml(n: number, recordings: string | null): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = ["graph: bench", "version: 1", `description: scale benchmark, first ${n} examples`];
  if (recordings) lines.push(`recordings: ${recordings}`);
  lines.push("examples:");
  for (let i = 1; i <= n; i++) {
    const order = String(100000 + i);
    const known = isKnownFailure(i);
    lines.push(
      `  - id: ${exampleId(i)}`,
      `    tags: [${known ? "known" : "smoke"}]`,
      `    input: { question: ${q(`Case ${i}: I bought order #${order} ${i % 45} days ago. Can I still return it?`)}, order: ${q(order)} }`,
      "    tools:",
      `      - call: { tool: lookup_order, args: { order: ${q(order)} } }`,
      `        result: ${q(`order #${order}: delivered ${i % 45} days ago, 1 item, unused, original packaging`)}`,
      "      - call: { tool: get_policy, args: { topic: returns } }",
      '        result: "Refund Window: 30 days from delivery. Items unused, in original packaging. Refund in 5-7 business days."',
      "    expect:",
      `      must_contain: [${known ? q("store credit") : q("refund window")}, ${q(`#${order}`)}]`,
      '      must_not_contain: ["as an AI"]',
      "      tools_called: [lookup_order, get_policy]",
      "      tool_order: [lookup_order, get_policy]",
      "      max_steps: 3",
      `    pass: ${known ? "false" : "true"}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export interface ScaleProject {
  dir: string;
  /** Sets `SCALE_N` for a data set of the first n examples. */
  env(n: number): NodeJS.ProcessEnv;
}

/**
 * Writes the project into `dir` (reusing its recordings when the stamp matches) and data sets for
 * each of `sizes`. Recording `max` examples takes a few minutes, once.
 */
export async function prepareScaleProject(dir: string, sizes: readonly number[], cli: readonly string[], log: (line: string) => void): Promise<ScaleProject> {
  const max = Math.max(...sizes);
  const stampFile = join(dir, "stamp.json");
  const recordingsDir = join(dir, "sets", "nall", "bench", "recordings", "v1");
  const stamp = JSON.stringify({ generation: GENERATION, max });
  const have = existsSync(recordingsDir) ? readdirSync(recordingsDir).filter((f) => f.endsWith(".json")).length : 0;
  const fresh = !existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp || have !== max;
  if (fresh) rmSync(dir, { recursive: true, force: true });
  write(join(dir, "package.json"), `${JSON.stringify({ name: "evalgate-scale-bench", private: true, type: "module" }, null, 2)}\n`);
  write(join(dir, "eval.config.ts"), CONFIG);
  write(join(dir, "agents", "bench", "index.ts"), AGENT);
  write(join(dir, "sets", "nall", "bench", "v1.yaml"), datasetYaml(max, null));
  for (const n of sizes) write(join(dir, "sets", `n${n}`, "bench", "v1.yaml"), datasetYaml(n, "../../nall/bench/recordings/v1"));
  const env = (n: number | "all"): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", SCALE_N: String(n) });
  if (fresh) {
    log(`recording ${max} examples (3 LLM calls each) against a local model server, once; kept in ${dir}`);
    const server = await startScaleModelServer();
    const started = performance.now();
    try {
      // Not spawnSync: the model server answers from this process's event loop.
      const child = spawn(cli[0]!, [...cli.slice(1), "--record", "--base-url", server.url, "-j", "8", "-r", "json"], {
        cwd: dir,
        env: { ...env("all"), [KEY_ENV]: ["bench", "placeholder", "not", "a", "key"].join("-") },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
      child.stderr.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      if (code !== 0) throw new Error(`recording the scale project failed (exit ${code}):\n${output}`);
    } finally {
      await server.close();
    }
    const written = readdirSync(recordingsDir).filter((f) => f.endsWith(".json")).length;
    if (written !== max) throw new Error(`recording the scale project wrote ${written} recordings, not ${max}`);
    writeFileSync(stampFile, stamp);
    log(`recorded ${max} examples in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return { dir, env };
}
