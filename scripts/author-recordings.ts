/**
 * Authors recordings for a dataset when no real model can be reached: the scripted replies in
 * datasets/<graph>/authoring/v<N>.replies.yaml are served by a local OpenAI-compatible server, and
 * evalgate's own `--record` mode writes the recordings, so they are byte-for-byte what a real
 * recording would look like. `pnpm eval --record` against a real endpoint replaces them.
 *
 *   node scripts/author-recordings.ts --graph admin_chat [--dataset-version 1] [--example id]
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { z } from "zod";
import { graphLlm } from "../core/config.ts";
import { loadConfig } from "../runner/load-config.ts";
import { loadDatasets } from "../runner/load-datasets.ts";
import { formatProblem, ProblemsError } from "../runner/problems.ts";
import { runEval } from "../runner/run.ts";
import { FakeOpenAI } from "../test/support/fake-openai.ts";

const RepliesFile = z.strictObject({
  examples: z.record(z.string(), z.array(z.strictObject({
    reply: z.string(),
    when: z.string().min(1).optional(),
    usage: z.strictObject({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).optional(),
  }))),
});

const { values } = parseArgs({
  options: {
    graph: { type: "string" },
    "dataset-version": { type: "string" },
    example: { type: "string", multiple: true },
    config: { type: "string", default: "eval.config.ts" },
  },
});
if (!values.graph) {
  console.error("usage: node scripts/author-recordings.ts --graph <graph> [--dataset-version N] [--example id]");
  process.exit(2);
}

const loaded = await loadConfig(values.config);
const { datasets, problems } = await loadDatasets(loaded.rootDir, loaded.config.datasets, loaded.agents);
if (problems.length) {
  for (const p of problems) console.error(formatProblem(p));
  process.exit(2);
}
const targets = datasets.filter((d) => d.graph === values.graph && (!values["dataset-version"] || String(d.version) === values["dataset-version"].replace(/^v/, "")));
if (targets.length === 0) {
  console.error(`no dataset of graph ${values.graph}${values["dataset-version"] ? ` v${values["dataset-version"]}` : ""}`);
  process.exit(2);
}

const server = new FakeOpenAI();
const baseURL = await server.start();
const outDir = mkdtempSync(join(tmpdir(), "evalgate-author-"));
const keyEnv = graphLlm(loaded.config, values.graph).apiKeyEnv;
let failures = 0;
try {
  for (const dataset of targets) {
    const repliesPath = resolve(dataset.absFile, "..", "authoring", `v${dataset.version}.replies.yaml`);
    if (!existsSync(repliesPath)) {
      console.error(`${relative(process.cwd(), repliesPath)}: missing (scripted replies for ${dataset.file})`);
      failures++;
      continue;
    }
    const replies = RepliesFile.parse(parse(readFileSync(repliesPath, "utf8")));
    for (const example of dataset.examples) {
      if (values.example && !values.example.includes(example.id)) continue;
      server.load(replies.examples[example.id] ?? []);
      const { report } = await runEval({
        configPath: values.config,
        mode: "record",
        baseURL,
        filters: { graphs: [dataset.graph], versions: [String(dataset.version)], tags: [], examples: [example.id] },
        shard: null,
        strict: false,
        concurrency: 1,
        outDir,
        reporters: [],
        command: "pnpm eval",
        // A fixed source keeps re-authoring from rewriting every file with a new port number.
        recordingSource: `scripted replies: ${relative(loaded.rootDir, repliesPath)} (${graphLlm(loaded.config, dataset.graph).model})`,
        env: { ...process.env, [keyEnv]: "authoring-placeholder-not-a-key" },
        stdout: process.stdout,
      });
      const result = report.examples[0]!;
      const problemsHere = [
        ...server.unmatched,
        ...(server.remaining().length ? [`${server.remaining().length} scripted repl(ies) never requested`] : []),
        ...(result.verdict === "ok" || result.verdict === "known_failure" ? [] : [`verdict ${result.verdict}: ${result.error?.message ?? result.scores.filter((s) => !s.pass).map((s) => s.reason).join("; ")}`]),
      ];
      if (problemsHere.length) failures++;
      console.log(`${problemsHere.length ? "FAIL" : "ok  "} ${dataset.graph}@v${dataset.version}/${example.id} (${result.verdict}, ${result.usage.llm_calls} LLM calls)${problemsHere.map((p) => `\n      ${p}`).join("")}`);
    }
  }
} catch (error) {
  if (!(error instanceof ProblemsError)) throw error;
  for (const p of error.problems) console.error(formatProblem(p));
  failures++;
} finally {
  await server.stop();
  rmSync(outDir, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
