import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../support/fake-openai.ts";
import { allFiles, copyFixture, copyRecordings, readReport, runCli, verdicts } from "../support/cli.ts";

const SECRET = "sk-test-e2e-9f8e7d6c";
const REPLIES = [
  { when: "say hello", reply: "Well hello there!" },
  { when: "how many companies", reply: "There are 2607 companies." },
  { when: "how many contacts", reply: "There are about 5000 contacts." },
];


describe("evalgate CLI end to end (fixture project, recorded through the real ChatOpenAI)", () => {
  const server = new FakeOpenAI();
  let project: string;
  let recordRun: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    project = copyFixture("basic");
    const baseURL = await server.start();
    server.load(REPLIES);
    recordRun = await runCli(["--record", "--base-url", baseURL], { cwd: project, env: { FIXTURE_OPENAI_KEY: SECRET } });
    await server.stop();
  });
  afterAll(() => server.stop());

  it("record mode calls the endpoint through ChatOpenAI and writes one recording per example", () => {
    expect(recordRun.stderr).toBe("");
    expect(recordRun.code).toBe(0);
    expect(server.seen).toHaveLength(3);
    expect(server.seen[0]!.headers.authorization).toBe(`Bearer ${SECRET}`); // the key did go to the endpoint…
    const recordings = readdirSync(join(project, "datasets/qa/recordings/v1")).sort();
    expect(recordings).toEqual(["contradicts-tool.json", "counts-companies.json", "greets.json"]);
    const greets = JSON.parse(readFileSync(join(project, "datasets/qa/recordings/v1/greets.json"), "utf8"));
    expect(greets.format).toBe("evalgate.recording/1");
    expect(greets.exchanges[0].request.path).toBe("/chat/completions");
    expect(greets.exchanges[0].response.body.choices[0].message.content).toBe("Well hello there!");
  });

  it("never writes the API key into recordings, reports or logs", () => {
    const offenders = allFiles(project).filter((f) => readFileSync(f, "utf8").includes(SECRET));
    expect(offenders).toEqual([]);
    expect(recordRun.stdout).not.toContain(SECRET);
    expect(JSON.stringify(readdirSync(join(project, "datasets/qa/recordings/v1")).map((f) => readFileSync(join(project, "datasets/qa/recordings/v1", f), "utf8")))).not.toMatch(/authorization|bearer/i);
  });

  it("replays with the endpoint gone and gives the same verdicts, exit 0", async () => {
    const recorded = verdicts(readReport(project));
    const run = await runCli([], { cwd: project });
    expect(run.code).toBe(0);
    const report = readReport(project);
    expect(verdicts(report)).toEqual(recorded);
    expect(verdicts(report)).toEqual({ greets: "ok", "counts-companies": "ok", "contradicts-tool": "known_failure" });
    expect(report.run.mode).toBe("replay");
    expect(report.usage.recorded).toBe(true);
    expect(report.usage.total_tokens).toBeGreaterThan(0);
    expect(run.stdout).toContain("gate passed");
  });

  it("a broken must_contain phrase fails the gate with exit 1, naming the example and its file:line", async () => {
    const dir = copyFixture("basic");
    const yamlPath = join(dir, "datasets/qa/v1.yaml");
    copyRecordings(project, dir);
    writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace('must_contain: ["2607"]', 'must_contain: ["2608"]'));
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/REGRESSION/i);
    expect(run.stdout).toContain("counts-companies");
    expect(run.stdout).toContain("datasets/qa/v1.yaml:12");
    expect(run.stdout).toContain('Missing: ["2608"]');
    expect(verdicts(readReport(dir))["counts-companies"]).toBe("regression");
  });

  it("a known failure that starts passing is reported as fixed: exit 0, and exit 1 under --strict", async () => {
    const dir = copyFixture("basic");
    copyRecordings(project, dir);
    const yamlPath = join(dir, "datasets/qa/v1.yaml");
    writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace('must_contain: ["9120"]', 'must_contain: ["5000"]'));
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(0);
    expect(verdicts(readReport(dir))["contradicts-tool"]).toBe("fixed");
    expect(run.stdout).toMatch(/1 fixed/);
    const strict = await runCli(["--strict"], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/flip/i);
  });

  it("malformed YAML exits 2 with file:line:col and no stack trace", async () => {
    const dir = copyFixture("basic");
    writeFileSync(join(dir, "datasets/qa/v1.yaml"), "graph: qa\nversion: 1\nexamples:\n  - id: [unclosed\n");
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/datasets\/qa\/v1\.yaml:\d+:\d+: YAML syntax error/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("schema errors in several files are all listed at file:line:col with field paths, exit 2", async () => {
    const dir = copyFixture("basic");
    const yamlPath = join(dir, "datasets/qa/v1.yaml");
    writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace("    expect:\n      must_contain: [\"hello\"]", "    expect:\n      must_contian: [\"hello\"]").replace("pass: false", "pass: maybe"));
    writeFileSync(join(dir, "datasets/qa/v3.yaml"), "graph: nope\nversion: 2\ndescription: d\nexamples:\n  - id: a\n    input: {}\n    expect: {}\n    pass: true\n  - id: a\n    input: {}\n    expect: {}\n    pass: true\n");
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/datasets\/qa\/v1\.yaml:9:7: examples\[0\]\.expect\.must_contian: unknown key "must_contian"; did you mean "must_contain"\?/);
    expect(run.stderr).toMatch(/datasets\/qa\/v1\.yaml:\d+:\d+: examples\[2\]\.pass: /);
    expect(run.stderr).toMatch(/datasets\/qa\/v3\.yaml:2:10: version: version 2 disagrees with the file name v3\.yaml/);
    expect(run.stderr).toMatch(/datasets\/qa\/v3\.yaml:1:8: graph: graph "nope" is not in eval\.config\.ts/);
    expect(run.stderr).toMatch(/datasets\/qa\/v3\.yaml:9:9: examples\[1\]\.id: duplicate id "a"/);
  });

  it("a record run whose agent fails leaves the example's recording as it was, and says how to replace it", async () => {
    const dir = copyFixture("basic");
    copyRecordings(project, dir);
    const recording = join(dir, "datasets/qa/recordings/v1/greets.json");
    const before = readFileSync(recording, "utf8");
    const yamlPath = join(dir, "datasets/qa/v1.yaml");
    writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace('input: { question: "say hello" }', 'input: { question: "say hello", behave: throw }'));
    const again = new FakeOpenAI();
    const baseURL = await again.start();
    again.load(REPLIES);
    try {
      const run = await runCli(["--record", "--base-url", baseURL, "-e", "greets"], { cwd: dir, env: { FIXTURE_OPENAI_KEY: SECRET } });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("--record wrote 0 recording file(s), 1 not written");
      expect(run.stdout).toContain("datasets/qa/recordings/v1/greets.json was left as it was");
      expect(readFileSync(recording, "utf8")).toBe(before);
      // A new example that fails is still recorded: what it got to is what replay must reproduce.
      rmSync(recording);
      const fresh = await runCli(["--record", "--base-url", baseURL, "-e", "greets"], { cwd: dir, env: { FIXTURE_OPENAI_KEY: SECRET } });
      expect(fresh.stdout).toContain("--record wrote 1 recording file(s)");
      expect(JSON.parse(readFileSync(recording, "utf8")).exchanges).toEqual([]);
    } finally {
      await again.stop();
    }
  });

  it("an agent that throws and one that hangs become errored examples; the rest still run", async () => {
    const dir = copyFixture("basic");
    copyRecordings(project, dir);
    appendFileSync(join(dir, "datasets/qa/v1.yaml"), `
  - id: throws
    input: { question: "x", behave: throw }
    expect: { must_contain: ["x"] }
    pass: true
  - id: hangs
    input: { question: "x", behave: hang }
    expect: { must_contain: ["x"] }
    timeout_ms: 300
    pass: true
`);
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(1);
    const report = readReport(dir);
    const byId = Object.fromEntries(report.examples.map((e) => [e.id, e]));
    expect(byId.throws!.outcome).toBe("error");
    expect(byId.throws!.error?.message).toContain("the agent blew up on purpose");
    // Where the agent threw, in the project's own terms (the fixture's line 14, at `new Error`).
    expect(byId.throws!.error?.hint).toBe("thrown at agents/qa.ts:14:41");
    expect(run.stdout).toContain("thrown at agents/qa.ts:14:41");
    expect(byId.hangs!.outcome).toBe("error");
    expect(byId.hangs!.error?.kind).toBe("timeout");
    expect(byId.greets!.verdict).toBe("ok");
    expect(byId["counts-companies"]!.verdict).toBe("ok");
    expect(report.counts).toMatchObject({ total: 5, regression: 2, ok: 2, known_failure: 1, errored: 2 });
  });

  it("changing the agent's prompt makes replay fail with the stale-recording explanation and the re-record command", async () => {
    const dir = copyFixture("basic");
    copyRecordings(project, dir);
    const agentPath = join(dir, "agents/qa.ts");
    writeFileSync(agentPath, readFileSync(agentPath, "utf8").replace("Answer in one short sentence.", "Answer in one short, friendly sentence."));
    const run = await runCli(["--example", "greets"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("LLM call #1 of qa@v1/greets has no recording");
    expect(run.stdout).toContain("messages[0] (system) changed at line 3");
    expect(run.stdout).toContain('"Answer in one short sentence."');
    expect(run.stdout).toContain('"Answer in one short, friendly sentence."');
    expect(run.stdout).toContain("--record --stale --graph qa --dataset-version 1 --example greets (calls llm.baseURL with $FIXTURE_OPENAI_KEY)");
    // A known failure whose recordings went stale proves nothing: it fails the gate too.
    const all = await runCli([], { cwd: dir });
    expect(all.code).toBe(1);
    expect(verdicts(readReport(dir))["contradicts-tool"]).toBe("regression");
    expect(readReport(dir).examples.find((e) => e.id === "contradicts-tool")!.error?.kind).toBe("recording_miss");
  });

  it("an unrecorded tool call fails the example and says which calls were recorded", async () => {
    const dir = copyFixture("basic");
    copyRecordings(project, dir);
    const yamlPath = join(dir, "datasets/qa/v1.yaml");
    writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace("args: { key: companies }", "args: { key: firms }"));
    const run = await runCli(["--example", "counts-companies"], { cwd: dir });
    expect(run.code).toBe(1);
    const example = readReport(dir).examples[0]!;
    expect(example.error?.kind).toBe("unexpected_tool_call");
    expect(example.error?.message).toContain('unexpected tool call lookup({"key":"companies"})');
    expect(example.error?.message).toContain('recorded calls of lookup: lookup({"key":"firms"})');
  });

  it("under GitHub Actions, regressions become ::error annotations at the example's line and the summary is appended", async () => {
    const dir = copyFixture("basic");
    copyRecordings(project, dir);
    const yamlPath = join(dir, "datasets/qa/v1.yaml");
    writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace('must_contain: ["hello"]', 'must_contain: ["goodbye"]'));
    const summary = join(dir, "step-summary.md");
    writeFileSync(summary, "");
    const run = await runCli([], { cwd: dir, env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error file=datasets\/qa\/v1\.yaml,line=5,[^\n]*::[^\n]*Missing: \["goodbye"\]/);
    expect(readFileSync(summary, "utf8")).toContain("greets");
  });

  it("shards partition the run and merging their event logs gives the full report", async () => {
    const dir = copyFixture("basic");
    copyRecordings(project, dir);
    const a = await runCli(["--shard", "1/2", "--out-dir", "shard-1"], { cwd: dir });
    const b = await runCli(["--shard", "2/2", "--out-dir", "shard-2"], { cwd: dir });
    expect([a.code, b.code]).toEqual([0, 0]);
    const ids = [...readReport(dir, "shard-1").examples, ...readReport(dir, "shard-2").examples].map((e) => e.id).sort();
    expect(ids).toEqual(["contradicts-tool", "counts-companies", "greets"]);
    const merged = await runCli(["merge", "shard-1/events.jsonl", "shard-2/events.jsonl", "--out-dir", "merged"], { cwd: dir });
    expect(merged.code).toBe(0);
    const report = readReport(dir, "merged");
    expect(report.counts).toMatchObject({ total: 3, ok: 2, known_failure: 1 });
    expect(report.run.shard).toBeNull();
  });

  it("--help explains modes, verdicts and exit codes; a bad flag exits 2 with a pointer to --help", async () => {
    const help = await runCli(["--help"], { cwd: project });
    expect(help.code).toBe(0);
    for (const text of ["--record", "--strict", "--shard", "Exit codes", "must_contain", "regression".toUpperCase()]) expect(help.stdout).toContain(text);
    const bad = await runCli(["--shard", "3/2"], { cwd: project });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--shard takes i/n");
    expect(bad.stderr).toContain("--help");
    // Run as an npm project's "eval" script: the commands it prints are npm's.
    const viaNpm = await runCli(["--shard", "3/2"], { cwd: project, env: { npm_lifecycle_event: "eval", npm_config_user_agent: "npm/11.6.0 node/v22.23.3 linux x64" } });
    expect(viaNpm.stderr).toContain("Run npm run eval -- --help for the options.");
  });

  it("a wrong config exits 2 listing every problem at eval.config.ts:line:col", async () => {
    const dir = copyFixture("basic");
    const configPath = join(dir, "eval.config.ts");
    writeFileSync(configPath, readFileSync(configPath, "utf8").replace("concurrency: 2,", "concurrency: 0,").replace('"github"]', '"github", "htm"]').replace("timeoutMs: 5_000,", "timeoutMs: 5_000,\n  retries: 3,"));
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/eval\.config\.ts:8:3: concurrency: /);
    expect(run.stderr).toMatch(/eval\.config\.ts:\d+:\d+: reporters\[5\]: /);
    expect(run.stderr).toMatch(/eval\.config\.ts:10:3: retries: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("record mode without the key set exits 2 and names the variable", async () => {
    const run = await runCli(["--record"], { cwd: project });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("FIXTURE_OPENAI_KEY is not set");
    expect(existsSync(join(project, "datasets/qa/recordings/v1/greets.json"))).toBe(true);
  });
});

