import { evalScript } from "../package-manager.ts";

/**
 * What `evalgate init` writes into an existing project. The workflow has the shape of evalgate's
 * own (.github/workflows/eval.yml): test/workflow.test.ts lints both with actionlint.
 */

export function configTemplate(graph: string): string {
  return `import { defineConfig } from "evalgate";

// evalgate's config: which agent each dataset's graph runs, and the endpoint --record calls.
export default defineConfig({
  datasets: "datasets/*/v*.yaml",
  graphs: { ${graph}: "./evals/${graph}.ts" },
  llm: { model: "gpt-4o-mini", baseURL: "https://api.openai.com/v1", apiKeyEnv: "OPENAI_API_KEY" },
});
`;
}

export function adapterTemplate(graph: string, wrapped: { module: string; exportName: string } | null): string {
  const call = wrapped
    ? `import { ${wrapped.exportName} } from "${wrapped.module}";\n`
    : "";
  const body = wrapped
    ? `    // Your function, unchanged. Clients it builds itself are replayed from the recordings too;
    // pass ctx.tools.wrap(yourTools) where it takes LangChain tools, so they answer from the dataset.
    const result = await ${wrapped.exportName}(input.question);
    return { answer: String(result) };`
    : `    // Call your agent here (ctx.llm is a ChatOpenAI whose traffic is recorded and replayed; a client
    // your code builds itself is replayed too). This stub answers without a model so the first
    // \`evalgate\` run passes before anything is recorded.
    return { answer: \`hello: \${input.question}\` };`;
  return `import { defineAgent } from "evalgate";
import { z } from "zod";
${call}
/** The adapter between a dataset example and your agent: its input schema and one run. */
export default defineAgent({
  graph: "${graph}",
  // Every example's \`input\` is validated against this when the dataset loads.
  input: z.object({ question: z.string() }),
  async run(input) {
${body}
  },
});
`;
}

export function datasetTemplate(graph: string, wrapped: boolean, command = evalScript("pnpm")): string {
  return `graph: ${graph}
version: 1
description: first examples for ${graph}
examples:
  - id: says-hello
    tags: [smoke]
    input: { question: "hello" }
    expect:
      must_contain: ["hello"]          # phrases the answer must contain (case-insensitive)
      # must_not_contain: ["I don't know"]
      # tools_called: [lookup]         # tools the agent must call
      # max_steps: 4                   # at most this many LLM calls
    pass: true                         # false marks a known failure
    # tools:                           # recorded tool outputs, matched on tool name + args
    #   - call: { tool: lookup, args: { key: companies } }
    #     result: "companies: 2607 rows"
${wrapped ? `# Your function calls a model: record this example first, with a key or scripted replies:\n#   OPENAI_API_KEY=… ${command} --record     or     ${command} --record --replies (see the README)\n` : ""}`;
}

/**
 * How the project installs its packages, which the workflow must do the same way: pnpm/action-setup
 * fails with "No pnpm version is specified" unless package.json's packageManager names one or the
 * step does (and fails on two different ones), and \`npm ci\` needs npm's lockfile.
 */
export type PackageManager = { name: "pnpm"; version: string | null } | { name: "npm" };


export function workflowTemplate(pm: PackageManager): string {
  const setup = pm.name === "pnpm"
    ? `      - uses: pnpm/action-setup@v4\n${pm.version ? `        with:\n          version: ${pm.version}\n` : ""}      - uses: actions/setup-node@v4\n        with:\n          node-version: 22\n          cache: pnpm\n      - name: Install (lockfile only)\n        run: pnpm install --frozen-lockfile\n`
    : `      - uses: actions/setup-node@v4\n        with:\n          node-version: 22\n          cache: npm\n      - name: Install (lockfile only)\n        run: npm ci\n`;
  return `name: evalgate

on:
  pull_request:
  push:
    branches: [main]
  # A required check must also report in a merge queue.
  merge_group:

permissions:
  contents: read
  pull-requests: write

concurrency:
  group: evalgate-\${{ github.ref }}
  cancel-in-progress: \${{ github.event_name == 'pull_request' }}

jobs:
  # Mark "gate" (shown as "evalgate / gate") as a required status check.
  gate:
    name: gate
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
${setup}      - name: Eval gate (hermetic replay), compared with the base branch on pull requests
        if: \${{ !cancelled() }}
        run: |
          if [ "\${{ github.event_name }}" = "pull_request" ]; then
            ${evalScript(pm.name)} compare --base "origin/\${{ github.base_ref }}" --comment
          else
            ${evalScript(pm.name, false)}
          fi
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
          LANGSMITH_API_KEY: \${{ secrets.LANGSMITH_API_KEY }}
      - name: Keep the reports
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: evalgate-report
          path: .evalgate/
          include-hidden-files: true
          if-no-files-found: error
`;
}
