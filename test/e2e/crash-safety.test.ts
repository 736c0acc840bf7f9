import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, scratchProject } from "../support/cli.ts";

/**
 * A SIGKILL in the middle of a replay: events.jsonl must be a valid prefix (whole lines, each an
 * event) holding every example that had finished, so `merge` and a reader lose only what was running.
 */
const FINISHING = 40;

function project(): string {
  const { dir, write } = scratchProject("crash");
  write("eval.config.ts", `export default {
  datasets: "datasets/*/v*.yaml",
  graphs: { plain: "./agents/plain.ts" },
  reporters: ["console", "json"],
  timeoutMs: 600000,
  llm: { model: "gpt-4o-mini", baseURL: "https://api.openai.com/v1", apiKeyEnv: "CRASH_KEY" },
};
`);
  // "stuck" never answers: the run is still going when it is killed. "killer" kills the process
  // itself, in the middle of a stretch of examples that never wait on I/O (no turn of the event loop).
  write("agents/plain.ts", `import { z } from "zod";
export default { graph: "plain", input: z.object({ q: z.string() }), async run(input) {
  if (input.q === "stuck") await new Promise(() => {});
  if (input.q === "killer") process.kill(process.pid, "SIGKILL");
  return { answer: \`echo: \${input.q}\` };
} };
`);
  const examples = [
    "  - id: stuck\n    input: { q: stuck }\n    expect: { must_contain: [\"echo\"] }\n    pass: true",
    ...Array.from({ length: FINISHING }, (_, i) => `  - id: e${i + 1}\n    input: { q: "case ${i + 1}" }\n    expect: { must_contain: ["echo: case ${i + 1}"] }\n    pass: true`),
  ];
  write("datasets/plain/v1.yaml", `graph: plain\nversion: 1\ndescription: killed mid-run\nexamples:\n${examples.join("\n")}\n`);
  return dir;
}

async function killWhenFinished(dir: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [join(REPO, "cli/bin.ts"), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", CI: "true", NO_COLOR: "1" }, stdio: "ignore" });
  const closed = new Promise((resolve) => child.on("close", resolve));
  const file = join(dir, ".evalgate/events.jsonl");
  const ends = () => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => l.includes('"type":"example-end"')).length : 0);
  const deadline = Date.now() + 60_000;
  // Every example but the stuck one ends; the log must show them while the run is still alive.
  while (ends() < FINISHING && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  child.kill("SIGKILL");
  await closed;
  return readFileSync(file, "utf8");
}

describe("SIGKILL during a replay", () => {
  it("in a run that never yields to the event loop, every example that finished before the kill is on disk", async () => {
    const dir = project();
    const yaml = join(dir, "datasets/plain/v1.yaml");
    // No stuck example; the 31st of 41 kills the process. One at a time, so exactly the 30 before it finished.
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace(/  - id: stuck\n    input: \{ q: stuck \}\n    expect: \{ must_contain: \["echo"\] \}\n    pass: true\n/, "").replace('input: { q: "case 31" }', "input: { q: killer }"));
    const child = spawn(process.execPath, [join(REPO, "cli/bin.ts"), "--workers", "0", "-j", "1"], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", CI: "true", NO_COLOR: "1" }, stdio: "ignore" });
    const signal = await new Promise((resolve) => child.on("close", (_code, sig) => resolve(sig)));
    expect(signal).toBe("SIGKILL");
    const text = readFileSync(join(dir, ".evalgate/events.jsonl"), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const events = text.trimEnd().split("\n").map((line) => JSON.parse(line) as { type: string; result?: { id: string } });
    expect(events.filter((e) => e.type === "example-end").map((e) => e.result!.id)).toEqual(Array.from({ length: 30 }, (_, i) => `e${i + 1}`));
  });

  it.each([
    ["the main thread", ["--workers", "0", "-j", "4"]],
    ["a worker thread beside the main one", ["--workers", "1", "-j", "4"]],
  ])("on %s leaves events.jsonl a valid prefix holding every finished example", async (_where, args) => {
    const text = await killWhenFinished(project(), args);
    expect(text.endsWith("\n")).toBe(true);
    const events = text.trimEnd().split("\n").map((line) => JSON.parse(line) as { type: string; id?: string; result?: { id: string; verdict: string } });
    expect(events[0]?.type).toBe("run-start");
    expect(events.some((e) => e.type === "run-end")).toBe(false);
    const ended = events.filter((e) => e.type === "example-end").map((e) => e.result!);
    expect(ended.map((r) => r.id).sort()).toEqual(Array.from({ length: FINISHING }, (_, i) => `e${i + 1}`).sort());
    expect(ended.filter((r) => r.verdict !== "ok")).toEqual([]);
    expect(events.some((e) => e.type === "example-start" && e.id === "stuck")).toBe(true);
  });
});
