import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../support/fake-openai.ts";
import { copyFixture, readReport, runCli } from "../support/cli.ts";

/**
 * The user's agent code loads as they wrote it, which Node's type stripping alone refuses:
 * extensionless imports, a tsconfig `paths` alias, an enum and a (legacy) decorator.
 */
describe("agent modules written the bundler-era way", () => {
  const openai = new FakeOpenAI();
  let dir: string;
  let record: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    dir = copyFixture("basic");
    const agent = join(dir, "agents/qa.ts");
    writeFileSync(agent, readFileSync(agent, "utf8")
      .replace('import { defineAgent } from "../../../../core/agent.ts";', 'import { defineAgent } from "../../../../core/agent";\nimport { systemPrompt } from "@prompts/system";')
      .replace("new SystemMessage(SYSTEM_PROMPT)", "new SystemMessage(systemPrompt())"));
    mkdirSync(join(dir, "agents/prompts"), { recursive: true });
    writeFileSync(join(dir, "agents/prompts/system.ts"), `import { Tone } from "./tone";

function styled(tone: Tone) {
  return (target: { tone?: Tone }) => {
    target.tone = tone;
  };
}

@styled(Tone.Short)
class Style {
  static tone?: Tone;
}

export function systemPrompt(): string {
  return \`You answer questions about the lead-gen database.\\nUse the lookup result when one is given.\\nAnswer in one \${Style.tone} sentence.\`;
}
`);
    writeFileSync(join(dir, "agents/prompts/tone.ts"), 'export enum Tone {\n  Short = "short",\n}\n');
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@prompts/*": ["./agents/prompts/*"] }, experimentalDecorators: true } }));
    const baseURL = await openai.start();
    openai.load([{ when: "say hello", reply: "Well hello there!" }, { when: "how many companies", reply: "There are 2607 companies." }, { when: "how many contacts", reply: "About 5000." }]);
    record = await runCli(["--record", "--base-url", baseURL], { cwd: dir, env: { FIXTURE_OPENAI_KEY: ["sk", "test", "user", "ts", "1"].join("-") } });
    await openai.stop();
  });
  afterAll(() => openai.stop());

  it("records through the agent's own module graph: the enum and the decorator reached the prompt", () => {
    expect(record.stderr).toBe("");
    expect(record.code).toBe(0);
    const greets = JSON.parse(readFileSync(join(dir, "datasets/qa/recordings/v1/greets.json"), "utf8"));
    expect(greets.exchanges[0].request.body.messages[0].content).toBe("You answer questions about the lead-gen database.\nUse the lookup result when one is given.\nAnswer in one short sentence.");
  });

  it("replays with the endpoint gone: exit 0", async () => {
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(0);
    expect(readReport(dir).counts).toMatchObject({ total: 3, ok: 2, known_failure: 1 });
  });
});

describe("a project whose package.json says \"type\": \"commonjs\" (what npm init writes today)", () => {
  it("loads its config and agents written with export default, and replays them", async () => {
    const dir = copyFixture("basic");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "cjs-project", version: "1.0.0", type: "commonjs" }));
    const run = await runCli(["list"], { cwd: dir });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("greets");
    const replay = await runCli(["-e", "greets"], { cwd: dir });
    // No recording yet: the example fails for that reason, not because its agent did not load.
    expect(replay.stdout).toContain("LLM call #1 of qa@v1/greets has no recording");
  });
});

/**
 * Node strips the types of every .ts file on every run, after loading its TypeScript parser; the
 * user's config and agents are stripped once and kept beside Node's compile cache instead.
 */
describe("the user's TypeScript, stripped once and kept", () => {
  const keptFiles = (cache: string): string[] => {
    const root = join(cache, "evalgate-typescript");
    return existsSync(root) ? readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js")).map((f) => join(root, f)) : [];
  };
  const project = () => {
    const dir = copyFixture("basic");
    const agent = join(dir, "agents/qa.ts");
    // The agent says, when it loads, which text it was loaded from.
    writeFileSync(agent, `import { writeFileSync as markLoad } from "node:fs";\nmarkLoad(new URL("../loaded-from.txt", import.meta.url), "the source" as string);\n${readFileSync(agent, "utf8")}`);
    return { dir, agent, loadedFrom: () => readFileSync(join(dir, "loaded-from.txt"), "utf8") };
  };

  it("serves the next run from the kept JavaScript, and strips a file again once it is edited", async () => {
    const { dir, agent, loadedFrom } = project();
    const cache = join(dir, ".compile-cache");
    const env = { NODE_COMPILE_CACHE: cache };
    const first = await runCli(["list"], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    // Nothing about stripping reaches the user (Node calls stripTypeScriptTypes experimental).
    expect(first.stderr).toBe("");
    expect(loadedFrom()).toBe("the source");
    const kept = keptFiles(cache).filter((f) => readFileSync(f, "utf8").includes("loaded-from.txt"));
    expect(kept).toHaveLength(1);
    // Types stripped as Node strips them: blanked in place, so every line and column stays where it was.
    expect(readFileSync(kept[0]!, "utf8")).toContain(`"the source"${" ".repeat(" as string".length)})`);

    // Proof that the next run reads the kept copy instead of the source: a changed copy is what loads.
    writeFileSync(kept[0]!, readFileSync(kept[0]!, "utf8").replace('"the source"', '"the kept copy"'));
    expect((await runCli(["list"], { cwd: dir, env })).code).toBe(0);
    expect(loadedFrom()).toBe("the kept copy");

    // An edited file is a new text: stripped again, never an old copy.
    writeFileSync(agent, readFileSync(agent, "utf8").replace('"the source"', '"the edited source"'));
    expect((await runCli(["list"], { cwd: dir, env })).code).toBe(0);
    expect(loadedFrom()).toBe("the edited source");
  });

  it("keeps nothing when the compile cache is off", async () => {
    const { dir, loadedFrom } = project();
    const cache = join(dir, ".compile-cache");
    const run = await runCli(["list"], { cwd: dir, env: { NODE_COMPILE_CACHE: cache, NODE_DISABLE_COMPILE_CACHE: "1" } });
    expect(run.code, run.stderr).toBe(0);
    expect(loadedFrom()).toBe("the source");
    expect(keptFiles(cache)).toEqual([]);
  });
});

describe("an agent module with a syntax error", () => {
  it("names the file, line and column the TypeScript loader found it at, relative to the project", async () => {
    const dir = copyFixture("basic");
    const agent = join(dir, "agents/qa.ts");
    writeFileSync(agent, readFileSync(agent, "utf8").replace("const SYSTEM_PROMPT = `", "const broken: number = ;\nconst SYSTEM_PROMPT = `"));
    const run = await runCli(["list"], { cwd: dir });
    expect(run.code).toBe(2);
    // Not only the loader's heading ("Transform failed with 1 error:"): where the error is.
    expect(run.stdout + run.stderr).toMatch(/graphs\.qa: agent module agents\/qa\.ts failed to load: Transform failed with 1 error: agents\/qa\.ts:5:23: ERROR: Unexpected ";"/);
  });

  it("in eval.config.ts itself: the problem is located where the loader found it, not at 1:1", async () => {
    const dir = copyFixture("basic");
    const config = join(dir, "eval.config.ts");
    const lines = readFileSync(config, "utf8").split("\n");
    const last = lines.findLastIndex((line) => line.startsWith("}"));
    lines.splice(last, 0, "  },");
    writeFileSync(config, lines.join("\n"));
    const run = await runCli(["list"], { cwd: dir });
    expect(run.code).toBe(2);
    // esbuild counts columns from 0; the located problem from 1, like every other evalgate location.
    expect(run.stdout + run.stderr).toContain(`eval.config.ts:${last + 2}:1: cannot load: Transform failed with 1 error: eval.config.ts:${last + 2}:0: ERROR:`);
  });
});
