import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../support/cli.ts";

/**
 * evalgate as another team gets it: the packed tarball installed into a project of its own,
 * outside this repository, whose agent is a LangGraph.js ReAct agent that builds its own ChatOpenAI,
 * runs LangChain tools through a ToolNode and imports its modules without extensions.
 */

const PNPM = ["-y", "pnpm@10.34.9"];
const run = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 });

function evalgate(project: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(project, "node_modules/evalgate/dist/cli/bin.js"), ...args], { cwd: project, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", CI: "true", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the packed package in an adopter's project", () => {
  let work: string;
  let project: string;
  let tarball: string;
  let sentinel: Server;
  let sentinelUrl: string;
  const received: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "evalgate-adopter-"));
    // Packed from a staging copy built fresh here: packing the checkout itself would run `prepare`
    // and rewrite the dist/ that other test files are importing at the same moment.
    const staging = join(work, "staging");
    run(join(REPO, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json", "--outDir", join(staging, "dist")], REPO);
    const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
    delete manifest.scripts;
    writeFileSync(join(staging, "package.json"), JSON.stringify(manifest, null, 2));
    cpSync(join(REPO, "README.md"), join(staging, "README.md"));
    run("npx", [...PNPM, "pack", "--pack-destination", work], staging);
    tarball = join(work, readdirSync(work).find((n) => n.endsWith(".tgz"))!);
    project = join(work, "acme");
    cpSync(join(REPO, "test/fixtures/adopter"), project, { recursive: true });
    run("npx", [...PNPM, "add", "-D", tarball, "@langchain/openai@1.6.0", "@langchain/core@1.4.0", "@langchain/langgraph@1.7.3", "zod@4.6.7"], project);
    sentinel = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => sentinel.listen(0, "127.0.0.1", resolve));
    sentinelUrl = `http://127.0.0.1:${(sentinel.address() as AddressInfo).port}`;
  }, 300_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => sentinel?.close(() => resolve()));
    rmSync(work, { recursive: true, force: true });
  });

  it("ships the tool, not this repository's sample project", () => {
    const files = run("tar", ["tzf", tarball], work).trim().split("\n");
    expect(files).toContain("package/dist/cli/bin.js");
    expect(files).toContain("package/dist/core/index.d.ts");
    expect(files.filter((f) => !f.startsWith("package/dist/"))).toEqual(expect.arrayContaining(["package/package.json", "package/README.md"]));
    expect(files.filter((f) => /agents\/|datasets\/|test\/|\.ci\/|bench\/|\.test\.|test-helpers/.test(f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(project, "node_modules/evalgate/package.json"), "utf8"));
    expect(pkg.peerDependencies).toMatchObject({ "@langchain/openai": expect.stringMatching(/^\^1\./), "@langchain/core": expect.stringMatching(/^\^1\./) });
  });

  it("records from scripted replies (native tool_calls through a ToolNode), then replays with no socket opened: exit 0", async () => {
    const record = await evalgate(project, ["--record", "--replies"]);
    expect(record.stderr).toBe("");
    expect(record.code).toBe(0);
    expect(record.stdout).toContain("--record wrote 2 recording file(s)");
    // The agent's own client points at the sentinel, with a key: replay must answer it from the recording.
    const replay = await evalgate(project, [], { OPENAI_API_KEY: ["sk", "test", "adopter", "1234"].join("-"), OPENAI_BASE_URL: `${sentinelUrl}/v1` });
    expect(replay.stderr).toBe("");
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain("2 examples: 0 regressions, 0 fixed, 0 known failures, 2 ok");
    expect(received).toEqual([]);
    const report = JSON.parse(readFileSync(join(project, ".evalgate/report.json"), "utf8"));
    expect(report.examples.find((e: { id: string }) => e.id === "refund-window").spans.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(["tool:lookup_policy", "chat gpt-4o-mini"]));
  });

  it("a broken phrase fails the gate with exit 1, naming the example's file:line", async () => {
    const yaml = join(project, "datasets/faq/v1.yaml");
    const original = readFileSync(yaml, "utf8");
    writeFileSync(yaml, original.replace('must_contain: ["30 days"]', 'must_contain: ["31 days"]'));
    try {
      const replay = await evalgate(project, []);
      expect(replay.code).toBe(1);
      expect(replay.stdout).toContain("datasets/faq/v1.yaml:5");
      expect(replay.stdout).toContain('Missing: ["31 days"]');
    } finally {
      writeFileSync(yaml, original);
    }
  });

  it("a fetch to another host in the agent fails that example naming the host; the other passes", async () => {
    const bot = join(project, "src/bot.ts");
    const original = readFileSync(bot, "utf8");
    writeFileSync(bot, original.replace("export async function answer(question: string, tools?: StructuredToolInterface[]): Promise<string> {", `export async function answer(question: string, tools?: StructuredToolInterface[]): Promise<string> {\n  if (question.includes("exchange")) await fetch("${sentinelUrl}/v1/search?q=gifts");`));
    try {
      const replay = await evalgate(project, []);
      expect(replay.code).toBe(1);
      const report = JSON.parse(readFileSync(join(project, ".evalgate/report.json"), "utf8"));
      const byId = Object.fromEntries(report.examples.map((e: { id: string }) => [e.id, e]));
      expect(byId["refund-window"].verdict).toBe("ok");
      expect(byId.exchange.verdict).toBe("regression");
      expect(byId.exchange.error.message).toBe(`network call to ${new URL(sentinelUrl).host}/v1/search during replay`);
      expect(received).toEqual([]);
    } finally {
      writeFileSync(bot, original);
    }
  });

  describe("evalgate init", () => {
    const initIn = (dir: string) => evalgate(dir, ["init", "--graph", "faq_bot"]);

    it("in a project with only a package.json: writes everything, and the stub passes the gate", async () => {
      const fresh = join(work, "fresh");
      mkdirSync(fresh);
      writeFileSync(join(fresh, "package.json"), JSON.stringify({ name: "fresh", private: true, type: "module" }, null, 2));
      symlinkSync(join(project, "node_modules"), join(fresh, "node_modules"), "dir");
      const init = await initIn(fresh);
      expect(init.code).toBe(0);
      for (const file of ["eval.config.ts", "evals/faq_bot.ts", "datasets/faq_bot/v1.yaml", ".github/workflows/evalgate.yml"]) expect(init.stdout).toContain(`wrote   ${file}`);
      expect(init.stdout).toContain('added   package.json script "eval": "evalgate"');
      expect(init.stdout).toContain("wrote   .gitignore");
      expect(JSON.parse(readFileSync(join(fresh, "package.json"), "utf8")).scripts).toEqual({ eval: "evalgate" });
      const gate = await evalgate(fresh, []);
      expect(gate.stderr).toBe("");
      expect(gate.code).toBe(0);
      expect(gate.stdout).toContain("1 examples: 0 regressions, 0 fixed, 0 known failures, 1 ok");
      const again = await initIn(fresh);
      expect(again.code).toBe(0);
      expect(again.stdout).not.toContain("wrote");
      expect(again.stdout).toContain("skipped eval.config.ts (it exists; evalgate never overwrites a file)");
      expect(again.stdout).toContain("skipped .gitignore (it already ignores .evalgate/)");
    });

    it("--wrap of a function named answer: the adapter calls it, and the gate passes on it", async () => {
      const wrapped = join(work, "wrapped");
      mkdirSync(join(wrapped, "src"), { recursive: true });
      writeFileSync(join(wrapped, "package.json"), JSON.stringify({ name: "wrapped", private: true, type: "module" }));
      writeFileSync(join(wrapped, "src/bot.ts"), "export async function answer(question: string): Promise<string> {\n  return `hello, you asked: ${question}`;\n}\n");
      symlinkSync(join(project, "node_modules"), join(wrapped, "node_modules"), "dir");
      expect((await evalgate(wrapped, ["init", "--graph", "faq_bot", "--wrap", "src/bot.ts#answer"])).code).toBe(0);
      const gate = await evalgate(wrapped, []);
      expect(gate.stderr).toBe("");
      expect(gate.code).toBe(0);
      expect(gate.stdout).toContain("1 examples: 0 regressions, 0 fixed, 0 known failures, 1 ok");
    });

    it("in a project that has some of the files: keeps them, says so, adds the rest; --wrap wraps an existing function", async () => {
      const partial = join(work, "partial");
      mkdirSync(join(partial, "src"), { recursive: true });
      writeFileSync(join(partial, "package.json"), JSON.stringify({ name: "partial", scripts: { eval: "my-own-eval" } }, null, 4));
      writeFileSync(join(partial, ".gitignore"), "node_modules/");
      writeFileSync(join(partial, "eval.config.ts"), "// the team's own\n");
      writeFileSync(join(partial, "src/bot.ts"), "export async function reply(q: string) { return q; }\n");
      symlinkSync(join(project, "node_modules"), join(partial, "node_modules"), "dir");
      const init = await evalgate(partial, ["init", "--graph", "faq_bot", "--wrap", "src/bot.ts#reply"]);
      expect(init.code).toBe(0);
      expect(init.stdout).toContain("skipped eval.config.ts (it exists; evalgate never overwrites a file)");
      expect(init.stdout).toContain('skipped package.json script "eval" (it exists: "my-own-eval")');
      expect(init.stdout).toContain("added   .evalgate/ to .gitignore");
      expect(readFileSync(join(partial, "eval.config.ts"), "utf8")).toBe("// the team's own\n");
      expect(readFileSync(join(partial, ".gitignore"), "utf8")).toBe("node_modules/\n# evalgate's reports (CI keeps them as an artifact)\n.evalgate/\n");
      expect(readFileSync(join(partial, "evals/faq_bot.ts"), "utf8")).toContain('import { reply } from "../src/bot";');
      const bad = await evalgate(partial, ["init", "--graph", "Faq-Bot"]);
      expect(bad.code).toBe(2);
      expect(bad.stdout).toContain("--graph takes a snake_case name");
    });
  });
});
