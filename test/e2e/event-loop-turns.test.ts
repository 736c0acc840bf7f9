import { describe, expect, it } from "vitest";
import { readReport, runCli, scratchProject } from "../support/cli.ts";

/**
 * A replay waits on no I/O, so without turns of the event loop a whole run is one JavaScript job,
 * and V8 keeps everything a WeakRef touched in a job alive until the job ends (the AbortSignals of
 * every LLM call: a thread's heap grew by 40 MB over 5,000 examples). The runner gives the event
 * loop a turn every few examples; an agent sees it as a setImmediate callback that runs mid-run.
 */
function project(): string {
  const { dir, write } = scratchProject("turns");
  write("eval.config.ts", `export default {
  datasets: "datasets/*/v*.yaml",
  graphs: { plain: "./agents/plain.ts" },
  reporters: ["json"],
  llm: { model: "gpt-4o-mini", baseURL: "https://api.openai.com/v1", apiKeyEnv: "TURNS_KEY" },
};
`);
  write("agents/plain.ts", `import { z } from "zod";
let scheduled = false;
let turned = false;
export default { graph: "plain", input: z.object({ q: z.string() }), async run(input) {
  if (!scheduled) {
    scheduled = true;
    setImmediate(() => { turned = true; });
  }
  return { answer: \`\${input.q}: \${turned ? "after a turn" : "same job"}\` };
} };
`);
  const examples = Array.from({ length: 100 }, (_, i) => `  - id: e${i + 1}\n    input: { q: "case ${i + 1}" }\n    expect: { must_contain: ["case ${i + 1}"] }\n    pass: true`);
  write("datasets/plain/v1.yaml", `graph: plain\nversion: 1\ndescription: no I/O at all\nexamples:\n${examples.join("\n")}\n`);
  return dir;
}

describe("a replay that never waits on I/O", () => {
  it("still gives the event loop turns while it runs, not only at the end", async () => {
    const dir = project();
    const run = await runCli(["--workers", "0", "-j", "4"], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const answers = readReport(dir).examples.map((e) => (e.output as { answer: string }).answer);
    expect(answers[0]).toBe("case 1: same job");
    // A turn at least every 16 examples; from the 40th on, every example runs after one.
    expect(answers.slice(39).every((a) => a.endsWith("after a turn")), answers.join("\n")).toBe(true);
  });
});
