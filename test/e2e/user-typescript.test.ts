import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
