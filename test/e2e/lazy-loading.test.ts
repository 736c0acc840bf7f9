import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { REPO, scratchProject } from "../support/cli.ts";

/**
 * Start-up is mostly module loading: a run loads the OpenAI SDK, LangChain's tool wrapper, tsx,
 * the diff and GitHub clients only when it uses them. A module-load hook lists every ES module the
 * CLI loads; the second graph touches ctx.llm, so the same probe proves it sees the SDK load.
 */
function project(): string {
  const { dir, write } = scratchProject("lazy");
  write("eval.config.ts", `export default {
  datasets: "datasets/*/v*.yaml",
  graphs: { plain: "./agents/plain.ts", touches_llm: "./agents/touches-llm.ts" },
  reporters: ["console", "json"],
  llm: { model: "gpt-4o-mini", baseURL: "https://api.openai.com/v1", apiKeyEnv: "LAZY_KEY" },
};
`);
  write("agents/plain.ts", `import { z } from "zod";
export default { graph: "plain", input: z.object({ q: z.string() }), async run(input) { return { answer: \`echo: \${input.q}\` }; } };
`);
  write("agents/touches-llm.ts", `import { z } from "zod";
export default { graph: "touches_llm", input: z.object({ q: z.string() }), async run(_input, ctx) { return { answer: \`model \${ctx.llm.model}\` }; } };
`);
  for (const graph of ["plain", "touches_llm"]) {
    write(`datasets/${graph}/v1.yaml`, `graph: ${graph}
version: 1
description: start-up probe
examples:
  - id: one
    input: { q: hello }
    expect: { must_contain: ["${graph === "plain" ? "echo: hello" : "model gpt-4o-mini"}"] }
    pass: true
`);
  }
  write("load-hook.mjs", `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(process.env.LOADED_FILE, url + "\\n");
  return next(url, context);
}
`);
  write("register-hook.mjs", `import { register } from "node:module";
register(${JSON.stringify(pathToFileURL(join(dir, "load-hook.mjs")).href)});
`);
  return dir;
}

function loadedBy(dir: string, graph: string): { code: number | null; stdout: string; loaded: string[] } {
  const loadedFile = join(dir, `loaded-${graph}.txt`);
  writeFileSync(loadedFile, "");
  const run = spawnSync(process.execPath, ["--import", join(dir, "register-hook.mjs"), join(REPO, "cli/bin.ts"), "--graph", graph, "-o", join(dir, `out-${graph}`)], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", CI: "true", NO_COLOR: "1", LOADED_FILE: loadedFile, NODE_DISABLE_COMPILE_CACHE: "1" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout + run.stderr, loaded: readFileSync(loadedFile, "utf8").split("\n").filter(Boolean) };
}

const HEAVY = [
  /\/node_modules\/@langchain\/openai\//, /\/node_modules\/openai\//, /\/node_modules\/@langchain\/core\/dist\/tools\//, /\/node_modules\/tsx\//, /\/node_modules\/@octokit\//, /\/node_modules\/diff\//,
  // price data (no LLM call was made), the located YAML parser (no dataset problem), trial statistics (no trials)
  /\/node_modules\/@pydantic\/genai-prices\//, /\/node_modules\/yaml\//, /\/node_modules\/@stdlib\//,
];

describe("modules a run does not use are not loaded", () => {
  const dir = project();

  it("an agent that is a plain function loads neither the OpenAI SDK nor LangChain's tools, tsx, diff, Octokit, price data, the located YAML parser or trial statistics", () => {
    const run = loadedBy(dir, "plain");
    expect(run.stdout).toContain("1 examples: 0 regressions");
    expect(run.code).toBe(0);
    expect(run.loaded.some((url) => url.includes("/agents/plain.ts"))).toBe(true);
    expect(run.loaded.filter((url) => HEAVY.some((re) => re.test(url)))).toEqual([]);
  });

  it("an agent that touches ctx.llm gets a working client, loaded on first use", () => {
    const run = loadedBy(dir, "touches_llm");
    expect(run.stdout).toContain("1 examples: 0 regressions");
    expect(run.code).toBe(0);
    expect(run.loaded.some((url) => /\/node_modules\/@langchain\/openai\//.test(url))).toBe(true);
  });
});
