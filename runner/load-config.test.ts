import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.ts";
import { ProblemsError, type Problem } from "./problems.ts";

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

/** A fresh project folder per test: module URLs are cached, so a path is never imported twice. */
async function project(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "evalgate-config-"));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text, "utf8");
  }
  return join(root, "eval.config.ts");
}

/** An agent module without imports (a temp folder has no node_modules): duck-typed like a zod schema. */
const agentModule = (graph: string) => `export default {
  graph: ${JSON.stringify(graph)},
  input: { safeParse: (v: unknown) => ({ success: true, data: v }), parse: (v: unknown) => v },
  async run() { return { answer: "hi" }; },
};
`;

const LLM = `  llm: {
    model: "gpt-4o-mini",
    baseURL: "https://api.openai.com/v1",
    apiKeyEnv: "OPENAI_API_KEY",
  },`;

function config(body: string): string {
  return `// a test project
export default {
${body}
${LLM}
};
`;
}

async function problemsOf(configPath: string): Promise<{ error: ProblemsError; problems: Problem[] }> {
  const error = await loadConfig(configPath).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemsError);
  return { error: error as ProblemsError, problems: (error as ProblemsError).problems };
}

function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`test bug: "${needle}" is not in the fixture`);
  return index + 1;
}

describe("loadConfig", () => {
  it("loads a valid config with its agents and applies defaults", async () => {
    const text = config(`  graphs: { qa: "./agents/qa.ts" },`);
    const path = await project({ "eval.config.ts": text, "agents/qa.ts": agentModule("qa") });
    const loaded = await loadConfig(path);
    expect(loaded.rootDir).toBe(dirname(path));
    expect(loaded.file).toBe(path);
    expect([...loaded.agents.keys()]).toEqual(["qa"]);
    expect(loaded.agents.get("qa")!.graph).toBe("qa");
    expect(loaded.agentFiles.get("qa")).toBe(join(dirname(path), "agents/qa.ts"));
    expect(loaded.config).toMatchObject({ timeoutMs: 30_000, outDir: ".evalgate", llm: { temperature: 0 } });
  });

  it("a field of the wrong type: ProblemsError naming the path and its line", async () => {
    const text = config(`  graphs: { qa: "./agents/qa.ts" },
  timeoutMs: "fast",`);
    const path = await project({ "eval.config.ts": text, "agents/qa.ts": agentModule("qa") });
    const { error, problems } = await problemsOf(path);
    expect(error.message).toContain("is not a valid evalgate config");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: relative(process.cwd(), path), path: "timeoutMs", line: lineOf(text, "timeoutMs"), column: 3 });
    expect(problems[0]!.message).toMatch(/number/);
    expect(error.nextStep).toBeTruthy();
  });

  it("an unknown key, a nested bad value and a bad graph name, each on its own line", async () => {
    const text = config(`  graphs: { "Bad-Name": "./agents/qa.ts" },
  reporter: ["json"],
  reporters: ["json", "pdf"],`).replace('    apiKeyEnv: "OPENAI_API_KEY",', '    apiKeyEnv: "sk-not-an-env-name",');
    const path = await project({ "eval.config.ts": text });
    const { problems } = await problemsOf(path);
    const byPath = new Map(problems.map((p) => [p.path, p]));
    expect([...byPath.keys()].sort()).toEqual(["graphs.Bad-Name", "llm.apiKeyEnv", "reporter", "reporters[1]"]);
    expect(byPath.get("reporter")!.line).toBe(lineOf(text, "reporter:"));
    expect(byPath.get("reporters[1]")!.line).toBe(lineOf(text, "reporters:"));
    expect(byPath.get("llm.apiKeyEnv")).toMatchObject({ line: lineOf(text, "apiKeyEnv"), message: expect.stringContaining("environment variable name") });
    expect(byPath.get("graphs.Bad-Name")!.line).toBe(lineOf(text, "Bad-Name"));
    // sorted by line, as the CLI prints them
    expect(problems.map((p) => p.line)).toEqual([...problems.map((p) => p.line)].sort((a, b) => a - b));
  });

  it("several unknown keys: each at its own line, with the key it most likely meant, nested ones too", async () => {
    const text = config(`  graphs: { qa: "./agents/qa.ts" },
  workres: 2,
  timeoutMS: 5000,
  frobnicate: true,`).replace('    apiKeyEnv: "OPENAI_API_KEY",', '    apiKeyEnv: "OPENAI_API_KEY",\n    temprature: 0,');
    const path = await project({ "eval.config.ts": text });
    const { problems } = await problemsOf(path);
    expect(problems.map(({ path, line, message }) => ({ path, line, message }))).toEqual([
      { path: "llm.temprature", line: lineOf(text, "temprature"), message: 'unknown key "temprature"; did you mean "temperature"?' },
      { path: "workres", line: lineOf(text, "workres"), message: 'unknown key "workres"; did you mean "workers"?' },
      { path: "timeoutMS", line: lineOf(text, "timeoutMS"), message: 'unknown key "timeoutMS"; did you mean "timeoutMs"?' },
      { path: "frobnicate", line: lineOf(text, "frobnicate"), message: 'unknown key "frobnicate"' },
    ].sort((a, b) => a.line - b.line));
  });

  // BUG (runner/load-config.ts): zod 4 reports a bad record key as one `invalid_key` issue whose
  // message is the generic "Invalid key in record"; the schema's own message ("graph names are
  // snake_case") sits in issue.issues[] and never reaches the user.
  it("a graph name that is not snake_case says so", async () => {
    const path = await project({ "eval.config.ts": config(`  graphs: { "Bad-Name": "./agents/qa.ts" },`) });
    const { problems } = await problemsOf(path);
    expect(problems).toEqual([expect.objectContaining({ path: "graphs.Bad-Name", message: expect.stringContaining("snake_case") })]);
  });

  it("a missing required field", async () => {
    const text = `export default { graphs: { qa: "./agents/qa.ts" } };\n`;
    const path = await project({ "eval.config.ts": text, "agents/qa.ts": agentModule("qa") });
    const { problems } = await problemsOf(path);
    expect(problems).toEqual([expect.objectContaining({ path: "llm", line: 1 })]);
  });

  it("a missing agent module, at the graph's entry", async () => {
    const text = config(`  graphs: {
    qa: "./agents/qa.ts",
    missing_one: "./agents/missing.ts",
  },`);
    const path = await project({ "eval.config.ts": text, "agents/qa.ts": agentModule("qa") });
    const { error, problems } = await problemsOf(path);
    expect(error.message).toContain("1 graph(s) cannot be loaded");
    expect(problems).toEqual([{ file: relative(process.cwd(), path), line: lineOf(text, "missing_one:"), column: 5, path: "graphs.missing_one", message: expect.stringContaining("agent module agents/missing.ts does not exist") }]);
  });

  it("an agent module whose default export is another graph", async () => {
    const text = config(`  graphs: {
    qa: { entry: "./agents/qa.ts" },
  },`);
    const path = await project({ "eval.config.ts": text, "agents/qa.ts": agentModule("admin_chat") });
    const { problems } = await problemsOf(path);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: "graphs.qa", line: lineOf(text, "qa:") });
    expect(problems[0]!.message).toContain('default export is graph "admin_chat", not "qa"');
  });

  it("agent modules that are not agents, or do not load, are all reported", async () => {
    const text = config(`  graphs: {
    no_default: "./agents/a.ts",
    no_run: "./agents/b.ts",
    throws: "./agents/c.ts",
    bad_json: "./agents/e.ts",
  },`);
    const path = await project({
      "eval.config.ts": text,
      "agents/a.ts": "export const agent = 1;\n",
      "agents/b.ts": `export default { graph: "no_run", input: { safeParse() {} } };\n`,
      "agents/c.ts": `throw new Error("agent module exploded at import");\n`,
      "agents/e.ts": `const settings = JSON.parse("{not json");\nexport default settings;\n`,
    });
    const { problems } = await problemsOf(path);
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath["graphs.no_default"]).toContain("has no default export");
    expect(byPath["graphs.no_run"]).toContain("default export has no run()");
    expect(byPath["graphs.throws"]).toContain("failed to load: agent module exploded at import (thrown at agents/c.ts:1:7)");
    // A SyntaxError the module's code raised (not one in its own text) is located too.
    // (Under vitest the module goes through the TypeScript fallback without source maps, so only the file is certain here.)
    expect(byPath["graphs.bad_json"]).toMatch(/failed to load: .*JSON.* \(thrown at agents\/e\.ts:\d+:\d+\)$/);
    expect(problems.map((p) => p.line)).toEqual([lineOf(text, "no_default:"), lineOf(text, "no_run:"), lineOf(text, "throws:"), lineOf(text, "bad_json:")]);
  });

  it("no config file", async () => {
    const path = await project({});
    const { error, problems } = await problemsOf(path);
    expect(error.message).toContain("no config at");
    expect(problems[0]!.message).toBe("file not found");
  });

  it("a config that fails to import", async () => {
    const path = await project({ "eval.config.ts": `throw new Error("config blew up");\nexport default {};\n` });
    const { problems } = await problemsOf(path);
    expect(problems[0]!.message).toContain("cannot load: config blew up");
  });
});
