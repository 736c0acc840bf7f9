import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../support/fake-openai.ts";
import { REPO, allFiles, copyFixture, copyRecordings, editFile, readReport, runCli, verdicts } from "../support/cli.ts";

/**
 * The gate must never pass when it could not judge: one test per defect a hostile probe found
 * (merges of partial shard sets, crashed known failures, silent passes, hostile files, leaked
 * secrets, shared out dirs, killed record runs, out-of-range timeouts, tampered recordings).
 */

// Fake keys are put together at run time, so no tracked line looks like a credential to a scanner.
const KEY = ["sk", "test", "truth", "1a2b3c"].join("-");
const REPLIES = [
  { when: "say hello", reply: "Well hello there!" },
  { when: "how many companies", reply: "There are 2607 companies." },
  { when: "how many contacts", reply: "There are about 5000 contacts." },
];
const DATASET = "datasets/qa/v1.yaml";
const GREETS = "datasets/qa/recordings/v1/greets.json";

describe("the verdict never lies (fixture project, recorded once through the real ChatOpenAI)", () => {
  const server = new FakeOpenAI();
  let project: string;

  beforeAll(async () => {
    project = copyFixture("basic");
    const baseURL = await server.start();
    server.load(REPLIES);
    const run = await runCli(["--record", "--base-url", baseURL], { cwd: project, env: { FIXTURE_OPENAI_KEY: KEY } });
    if (run.code !== 0) throw new Error(`recording the fixture failed:\n${run.stdout}\n${run.stderr}`);
    await server.stop();
  });
  afterAll(() => server.stop());

  /** A fresh copy of the recorded project, edited by `edit`. */
  function recorded(edit?: (dir: string) => void): string {
    const dir = copyFixture("basic");
    copyRecordings(project, dir);
    edit?.(dir);
    return dir;
  }

  describe("merge checks the shard set (row 1)", () => {
    let dir: string;
    beforeAll(async () => {
      dir = recorded();
      for (const i of [1, 2, 3]) {
        const run = await runCli(["--shard", `${i}/3`, "-o", `s${i}`], { cwd: dir });
        expect(run.code).toBe(0);
      }
    });

    it("all three shards merge into one report of every example, exit 0", async () => {
      const run = await runCli(["merge", "s1", "s2/events.jsonl", "s3/events.jsonl", "-o", "merged"], { cwd: dir }); // a shard's folder stands for its events.jsonl
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(readReport(dir, "merged").counts).toMatchObject({ total: 3, ok: 2, known_failure: 1 });
    });

    it("a missing shard exits 2 naming it, with no verdict", async () => {
      const run = await runCli(["merge", "s1/events.jsonl", "s2/events.jsonl", "-o", "m-missing"], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("shard 3/3 missing");
      expect(run.stdout).not.toContain("gate passed");
      expect(existsSync(join(dir, "m-missing/report.json"))).toBe(false);
    });

    it("a shard given twice exits 2", async () => {
      const run = await runCli(["merge", "s1/events.jsonl", "s1/events.jsonl", "s2/events.jsonl", "s3/events.jsonl", "-o", "m-twice"], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("shard 1/3 given 2 times");
    });

    it("a shard planned from an edited dataset exits 2: the plans differ", async () => {
      const other = recorded((d) => editFile(d, DATASET, (t) => t.replace("fixture dataset for the CLI end-to-end tests", "edited between shards")));
      const run3 = await runCli(["--shard", "3/3", "-o", "s3"], { cwd: other });
      expect(run3.code).toBe(0);
      const run = await runCli(["merge", "s1/events.jsonl", "s2/events.jsonl", join(other, "s3/events.jsonl"), "-o", "m-edited"], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("the shards were planned from different inputs");
    });

    it("a shard killed before its end exits 2 saying how far it got", async () => {
      const log = readFileSync(join(dir, "s2/events.jsonl"), "utf8").trimEnd().split("\n");
      mkdirSync(join(dir, "s2-killed"), { recursive: true });
      writeFileSync(join(dir, "s2-killed/events.jsonl"), `${log.filter((l) => !/"type":"(example-end|run-end)"/.test(l)).join("\n")}\n`);
      const run = await runCli(["merge", "s1/events.jsonl", "s2-killed/events.jsonl", "s3/events.jsonl", "-o", "m-killed"], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("shard 2/3 did not finish (no run-end event): it finished 0 of 1 examples");
    });

    it("a log two runs wrote into is refused (row 8's merge)", async () => {
      mkdirSync(join(dir, "twice"), { recursive: true });
      writeFileSync(join(dir, "twice/events.jsonl"), readFileSync(join(dir, "s1/events.jsonl"), "utf8") + readFileSync(join(dir, "s1/events.jsonl"), "utf8"));
      const run = await runCli(["merge", "twice/events.jsonl", "s2/events.jsonl", "s3/events.jsonl", "-o", "m-twice-log"], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("holds 2 runs");
    });
  });

  describe("a known failure is a failure of its checks (row 2)", () => {
    it("an agent crash on a pass: false example is a regression, with the error shown", async () => {
      const dir = recorded((d) => appendFileSync(join(d, DATASET), `
  - id: crashes-known
    input: { question: "x", behave: throw }
    expect: { must_contain: ["x"] }
    pass: false
`));
      const run = await runCli([], { cwd: dir });
      expect(run.code).toBe(1);
      const example = readReport(dir).examples.find((e) => e.id === "crashes-known")!;
      expect(example.verdict).toBe("regression");
      expect(example.verdict_note).toContain("errored instead of failing its checks");
      expect(run.stdout).toContain("the agent blew up on purpose");
    });

    it("a corrupt recorded response (choices: []) on a known failure is a regression naming the file", async () => {
      const dir = recorded((d) => {
        const file = join(d, "datasets/qa/recordings/v1/contradicts-tool.json");
        const rec = JSON.parse(readFileSync(file, "utf8"));
        rec.exchanges[0].response.body.choices = [];
        writeFileSync(file, JSON.stringify(rec, null, 2));
      });
      const run = await runCli([], { cwd: dir });
      expect(run.code).toBe(1);
      const example = readReport(dir).examples.find((e) => e.id === "contradicts-tool")!;
      expect(example.verdict).toBe("regression");
      expect(example.error?.message).toContain("has no choices");
    });

    it("fails: lists the expected failing checks; failing another one is a regression", async () => {
      const dir = recorded((d) => editFile(d, DATASET, (t) => t.replace('      must_contain: ["9120"]\n    pass: false', '      must_contain: ["9120"]\n      max_steps: 1\n    pass: false\n    fails: [must_contain]')));
      const ok = await runCli([], { cwd: dir });
      expect(ok.code).toBe(0);
      expect(verdicts(readReport(dir))["contradicts-tool"]).toBe("known_failure");
      editFile(dir, DATASET, (t) => t.replace('fails: [must_contain]', 'fails: [budgets]').replace("      max_steps: 1\n    pass: false", "      max_steps: 0\n    pass: false"));
      // max_steps: 0 is not a positive budget: the file is rejected before anything runs.
      expect((await runCli([], { cwd: dir })).code).toBe(2);
      editFile(dir, DATASET, (t) => t.replace("      max_steps: 0\n    pass: false", "      max_steps: 1\n    pass: false"));
      const changed = await runCli([], { cwd: dir });
      expect(changed.code).toBe(1);
      const example = readReport(dir).examples.find((e) => e.id === "contradicts-tool")!;
      expect(example.verdict).toBe("regression");
      expect(example.verdict_note).toBe("known failure now fails for another reason: must_contain failed, but fails lists only budgets");
      expect(changed.stdout).toContain("now fails for another reason");
    });

    it("fails: naming a check the example does not set is a dataset problem at file:line", async () => {
      const dir = recorded((d) => editFile(d, DATASET, (t) => t.replace('      must_contain: ["9120"]\n    pass: false', '      must_contain: ["9120"]\n    pass: false\n    fails: [spans]')));
      const run = await runCli([], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/datasets\/qa\/v1\.yaml:\d+:\d+: examples\[2\]\.fails\[0\]: "spans" is not a check this example sets \(it sets: must_contain\)/);
    });
  });

  describe("no silent pass (row 3)", () => {
    it("an example with expect: {} is a dataset problem (exit 2, file:line)", async () => {
      const dir = recorded((d) => editFile(d, DATASET, (t) => t.replace('    expect:\n      must_contain: ["hello"]', "    expect: {}")));
      const run = await runCli([], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/datasets\/qa\/v1\.yaml:8:13: examples\[0\]\.expect: example "greets" sets no check/);
    });

    it("an agent that skips the recorded LLM call fails as stale, with the re-record hint", async () => {
      const dir = recorded((d) => editFile(d, DATASET, (t) => t.replace('input: { question: "say hello" }', 'input: { question: "say hello", behave: no-llm }')));
      const run = await runCli(["--example", "greets"], { cwd: dir });
      expect(run.code).toBe(1);
      const example = readReport(dir).examples[0]!;
      expect(example.output).toBeNull();
      expect(example.error?.kind).toBe("recording_unused");
      expect(example.error?.message).toContain("1 recorded LLM exchange(s) of datasets/qa/recordings/v1/greets.json were never requested (#1 of 1)");
      expect(example.error?.hint).toContain("--record --stale --graph qa --dataset-version 1 --example greets (calls llm.baseURL with $FIXTURE_OPENAI_KEY)");
    });
  });

  describe("hostile files are user errors, not crashes (rows 5, 6, 11)", () => {
    it("a recording path that is a directory fails that example only; the report is written", async () => {
      const dir = recorded((d) => {
        rmSync(join(d, GREETS));
        mkdirSync(join(d, GREETS));
      });
      const run = await runCli([], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain("internal error");
      const report = readReport(dir);
      expect(report.counts.total).toBe(3);
      expect(report.examples.find((e) => e.id === "greets")!.error?.message).toContain("is a directory, not a file");
    });

    it("a recording that is a symlink loop fails that example only", async () => {
      const dir = recorded((d) => {
        rmSync(join(d, GREETS));
        symlinkSync("greets.json", join(d, GREETS));
      });
      const run = await runCli([], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain("internal error");
      expect(readReport(dir).examples.find((e) => e.id === "greets")!.error?.message).toContain("symbolic link that loops");
    });

    it("120 examples sharing one anchored tags list load fine", async () => {
      const dir = recorded((d) => {
        const examples = Array.from({ length: 120 }, (_, i) => `  - id: alias-${i}\n    tags: *shared\n    input: { question: "q${i}", behave: no-llm }\n    expect: { must_contain: ["hello"] }\n    pass: true\n`).join("");
        writeFileSync(join(d, "datasets/qa/v2.yaml"), `graph: qa\nversion: 2\ndescription: anchors\nexamples:\n  - id: anchor\n    tags: &shared [a, b, c]\n    input: { question: "q", behave: no-llm }\n    expect: { must_contain: ["hello"] }\n    pass: true\n${examples}`);
      });
      const run = await runCli(["--dataset-version", "2"], { cwd: dir });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(readReport(dir).counts.total).toBe(121);
    });

    it("5,000 levels of nesting, invalid UTF-8 and a BOM: exit 2 at file:line:col, or loaded", async () => {
      const deep = recorded((d) => writeFileSync(join(d, "datasets/qa/v2.yaml"), `graph: qa\nversion: 2\ndescription: deep\nexamples:\n  - id: deep\n    input:\n${Array.from({ length: 5000 }, (_, i) => `${" ".repeat(i + 6)}k:`).join("\n")} 1\n`));
      const deepRun = await runCli([], { cwd: deep });
      expect(deepRun.code).toBe(2);
      expect(deepRun.stderr).not.toContain("internal error");
      expect(deepRun.stderr).toMatch(/datasets\/qa\/v2\.yaml:\d+:\d+: .*nested/);

      const binary = recorded((d) => writeFileSync(join(d, "datasets/qa/v2.yaml"), Buffer.concat([Buffer.from("graph: qa\nversion: 2\ndescription: caf"), Buffer.from([0xe9]), Buffer.from("\n")])));
      const binaryRun = await runCli([], { cwd: binary });
      expect(binaryRun.code).toBe(2);
      expect(binaryRun.stderr).toContain("datasets/qa/v2.yaml:3:17: the dataset file is not valid UTF-8 (byte 0xe9");

      const bom = recorded((d) => {
        writeFileSync(join(d, DATASET), `\uFEFF${readFileSync(join(d, DATASET), "utf8")}`);
        writeFileSync(join(d, GREETS), `\uFEFF${readFileSync(join(d, GREETS), "utf8")}`);
      });
      const bomRun = await runCli([], { cwd: bom });
      expect(bomRun.stderr).toBe("");
      expect(bomRun.code).toBe(0);
    });

    it("recording diagnostics name what is wrong: tampered key, identity fields, date, content type, JSON position", async () => {
      const cases: Array<[string, (rec: any) => unknown, RegExp]> = [
        ["tampered key", (rec) => ((rec.exchanges[0].key = "0".repeat(64)), rec), /exchanges\[0\]\.key 000000000000… does not match its request \(which hashes to [0-9a-f]{12}…\): the file was edited by hand/],
        ["wrong identity", (rec) => ((rec.example = "counts-companies"), (rec.graph = "other"), rec), /graph is "other", example is "counts-companies", but this file belongs to qa@v1\/greets/],
        ["bad date", (rec) => ((rec.recorded_at = "yesterday"), rec), /recorded_at: recorded_at must be an ISO date-time/],
        ["stream body", (rec) => ((rec.exchanges[0].response.content_type = "text/event-stream"), rec), /exchanges\.0\.response\.body: content_type is text\/event-stream, so the body must be the raw event text/],
      ];
      for (const [name, tamper, message] of cases) {
        const dir = recorded((d) => writeFileSync(join(d, GREETS), JSON.stringify(tamper(JSON.parse(readFileSync(join(d, GREETS), "utf8"))), null, 2)));
        const run = await runCli(["--example", "greets"], { cwd: dir });
        expect(run.code, name).toBe(1);
        expect(run.stderr, name).not.toContain("internal error");
        const error = readReport(dir).examples[0]!.error!;
        expect(error.kind, name).toBe("recording_miss");
        expect(error.message, name).toMatch(message);
      }
      const broken = recorded((d) => writeFileSync(join(d, GREETS), '{\n  "format": "evalgate.recording/1",\n  "graph": "qa",,\n}\n'));
      await runCli(["--example", "greets"], { cwd: broken });
      expect(readReport(broken).examples[0]!.error!.message).toMatch(/not valid JSON: line 3:17: Expected double-quoted property name\s*(\(|$)/);
    });
  });

  describe("secrets and PII never reach files, the console or annotations (row 7)", () => {
    const LANGSMITH_KEY = ["lsv2", "pt", "truth", "fake0"].join("_");
    const PHONE = "+1 (415) 555-0199";
    const CARD = "4111 1111 1111 1111";
    const EMAIL = "pat.doe@example.com";
    let dir: string;
    let record: Awaited<ReturnType<typeof runCli>>;
    let replay: Awaited<ReturnType<typeof runCli>>;
    const summary = () => join(dir, "step-summary.md");

    beforeAll(async () => {
      dir = copyFixture("basic");
      appendFileSync(join(dir, DATASET), `
  - id: leaky
    input: { question: "my keys are ${KEY} and ${LANGSMITH_KEY}; who is the account owner?", lookup: owner }
    tools:
      - call: { tool: lookup, args: { key: owner } }
        result: "owner ${EMAIL}, phone ${PHONE}, card ${CARD}"
    expect:
      must_contain: ["nobody"]
    pass: true
`);
      const openai = new FakeOpenAI();
      const baseURL = await openai.start();
      openai.load([...REPLIES, { when: "account owner", reply: `Call ${PHONE} or charge ${CARD}; the owner is ${EMAIL}.` }]);
      const env = { FIXTURE_OPENAI_KEY: KEY, LANGSMITH_API_KEY: LANGSMITH_KEY };
      record = await runCli(["--record", "--base-url", baseURL, "--no-upload"], { cwd: dir, env });
      await openai.stop();
      writeFileSync(summary(), "");
      replay = await runCli(["--no-upload", "-r", "console,json,junit,markdown,github,otlp"], { cwd: dir, env: { ...env, GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary() } });
    });

    it("the regression still fails the gate, and replay matches the filtered recording", () => {
      expect(record.code).toBe(1);
      expect(replay.code).toBe(1);
      expect(verdicts(readReport(dir))).toMatchObject({ greets: "ok", leaky: "regression" });
      expect(readReport(dir).examples.find((e) => e.id === "leaky")!.scores[0]!.reason).toContain("Missing");
    });

    it("no key in any file, no e-mail, phone or card in any output (reports, events, JUnit, summary, OTLP) or on the console", () => {
      const keys = [KEY, LANGSMITH_KEY];
      const pii = [EMAIL, "555-0199", "4111 1111"];
      // The dataset is the user's own input; recordings keep PII unless redact.recordings lists it (tested below).
      const files = allFiles(dir).filter((f) => !f.endsWith(DATASET));
      const offenders = files.flatMap((file) => {
        const text = readFileSync(file, "utf8");
        const planted = file.includes("/recordings/") ? keys : [...keys, ...pii];
        return planted.filter((p) => text.includes(p)).map((p) => `${file.slice(dir.length)}: ${p}`);
      });
      expect(offenders).toEqual([]);
      const planted = [...keys, ...pii];
      for (const out of [record.stdout, record.stderr, replay.stdout, replay.stderr]) for (const p of planted) expect(out).not.toContain(p);
      expect(replay.stdout).toMatch(/::error file=datasets\/qa\/v1\.yaml/);
      expect(readFileSync(summary(), "utf8")).toContain("leaky");
      expect(JSON.stringify(JSON.parse(readFileSync(join(dir, "datasets/qa/recordings/v1/leaky.json"), "utf8")))).toContain("[redacted:secret]");
    });

    it("redact.local_pii: false keeps PII in local files, never keys, and never in annotations", async () => {
      editFile(dir, "eval.config.ts", (t) => t.replace("reporters:", "redact: { local_pii: false },\n  reporters:"));
      writeFileSync(summary(), "");
      const run = await runCli(["--no-upload"], { cwd: dir, env: { FIXTURE_OPENAI_KEY: KEY, LANGSMITH_API_KEY: LANGSMITH_KEY, GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary() } });
      expect(run.code).toBe(1);
      const local = readFileSync(join(dir, ".evalgate/report.json"), "utf8");
      expect(local).toContain(EMAIL);
      expect(local).not.toContain(KEY);
      const annotations = run.stdout.split("\n").filter((l) => l.startsWith("::"));
      expect(annotations.join("\n")).not.toContain("555-0199");
      expect(readFileSync(summary(), "utf8")).not.toContain(EMAIL);
      // The OTLP file is made for a collector: it redacts PII itself when the results kept theirs
      // (with local_pii on, results are already redacted and it skips the second pass).
      const otlp = await runCli(["--no-upload", "-r", "json,otlp", "-o", "otlp-out"], { cwd: dir, env: { FIXTURE_OPENAI_KEY: KEY } });
      expect(otlp.code).toBe(1);
      expect(readFileSync(join(dir, "otlp-out/report.json"), "utf8")).toContain(EMAIL);
      const traces = readFileSync(join(dir, "otlp-out/otlp-traces.json"), "utf8");
      expect(traces).toContain("[redacted:email]");
      expect(traces).not.toContain(EMAIL);
      expect(traces).not.toContain(KEY);
    });

    it("redact.recordings filters PII out of recordings with stable placeholders, and the filtered recording replays", async () => {
      const other = copyFixture("basic");
      editFile(other, "eval.config.ts", (t) => t.replace("reporters:", 'redact: { recordings: ["email"] },\n  reporters:'));
      appendFileSync(join(other, DATASET), `
  - id: mail
    input: { question: "write to ${EMAIL} please" }
    expect: { must_contain: ["sent"] }
    pass: true
`);
      const openai = new FakeOpenAI();
      const baseURL = await openai.start();
      openai.load([...REPLIES, { when: "write to", reply: `sent to ${EMAIL}` }]);
      const rec = await runCli(["--record", "--base-url", baseURL], { cwd: other, env: { FIXTURE_OPENAI_KEY: KEY } });
      await openai.stop();
      expect(rec.code).toBe(0);
      const file = readFileSync(join(other, "datasets/qa/recordings/v1/mail.json"), "utf8");
      expect(file).not.toContain(EMAIL);
      expect(file).toMatch(/\[filtered:email:[0-9a-f]{8}\]/);
      const again = await runCli([], { cwd: other });
      expect(again.code).toBe(0);
      expect(verdicts(readReport(other)).mail).toBe("ok");
    });
  });

  describe("one run per out dir, nothing stray after a kill, bounded timeouts (rows 8, 9, 10)", () => {
    it("a second run into a busy out dir exits 2 naming the first's pid; a dead run's lock is taken over", async () => {
      const dir = recorded((d) => appendFileSync(join(d, DATASET), `
  - id: slow
    input: { question: "x", behave: hang }
    expect: { must_contain: ["x"] }
    timeout_ms: 4000
    pass: true
`));
      const first = spawn(process.execPath, [join(REPO, "cli/bin.ts")], { cwd: dir, env: { PATH: process.env.PATH ?? "", CI: "true" }, stdio: "ignore" });
      const lock = join(dir, ".evalgate/.lock");
      for (let i = 0; i < 100 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
      const second = await runCli([], { cwd: dir });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`is locked by pid ${first.pid}`);
      expect(second.stderr).toContain("--out-dir");
      await new Promise((r) => first.on("close", r));
      expect(existsSync(lock)).toBe(false);
      writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 17, purpose: "replay run", since: "then" }));
      editFile(dir, DATASET, (t) => t.replace("timeout_ms: 4000", "timeout_ms: 100"));
      const taken = await runCli([], { cwd: dir });
      expect(taken.code).toBe(1);
      expect(readReport(dir).counts.total).toBe(4);
    });

    it("a temporary recording file left by a killed run is removed by the next run", async () => {
      const stray = "datasets/qa/recordings/v1/greets.json.4194321.1796286255511.tmp";
      const dir = recorded((d) => writeFileSync(join(d, stray), "{ torn"));
      const run = await runCli([], { cwd: dir });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`removed 1 temporary recording file(s) left by an interrupted run: ${stray}`);
      expect(existsSync(join(dir, stray))).toBe(false);
    });

    it("SIGKILL during --record leaves no torn recording; the next run cleans up and replays clean", async () => {
      const openai = new FakeOpenAI();
      const baseURL = await openai.start();
      openai.delayMs = 40;
      const dir = copyFixture("basic");
      try {
        for (let round = 0; round < 6; round++) {
          openai.load([...REPLIES, ...REPLIES, ...REPLIES]);
          const child = spawn(process.execPath, [join(REPO, "cli/bin.ts"), "--record", "--base-url", baseURL, "-j", "1"], { cwd: dir, env: { PATH: process.env.PATH ?? "", CI: "true", FIXTURE_OPENAI_KEY: KEY }, stdio: "ignore" });
          await new Promise((r) => setTimeout(r, 150 + round * 60));
          child.kill("SIGKILL");
          await new Promise((r) => child.on("close", r));
          const recordings = join(dir, "datasets/qa/recordings/v1");
          for (const name of existsSync(recordings) ? readdirSync(recordings).filter((n) => n.endsWith(".json")) : []) {
            expect(() => JSON.parse(readFileSync(join(recordings, name), "utf8")), name).not.toThrow();
          }
          const lock = join(dir, ".evalgate/.lock");
          if (existsSync(lock)) unlinkSync(lock); // a killed run's lock names a dead pid; leave it, the next run takes it over
        }
        openai.load([...REPLIES, ...REPLIES]);
        const finish = await runCli(["--record", "--base-url", baseURL], { cwd: dir, env: { FIXTURE_OPENAI_KEY: KEY } });
        expect(finish.code).toBe(0);
      } finally {
        await openai.stop();
      }
      const replay = await runCli([], { cwd: dir });
      expect(replay.code).toBe(0);
      expect(allFiles(join(dir, "datasets")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    });

    it("timeout_ms beyond an hour is a dataset problem, not a 1 ms timer", async () => {
      const dir = recorded((d) => editFile(d, DATASET, (t) => t.replace('      must_contain: ["hello"]\n    pass: true', '      must_contain: ["hello"]\n    pass: true\n    timeout_ms: 3000000000')));
      const run = await runCli([], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/datasets\/qa\/v1\.yaml:\d+:\d+: examples\[0\]\.timeout_ms: at most 3600000 ms \(one hour\)/);
      expect(run.stderr).not.toContain("TimeoutOverflowWarning");
    });
  });

  it("a megabyte description with the OTLP reporter on finishes promptly (row 4: linear redaction)", async () => {
    const dir = recorded((d) => editFile(d, DATASET, (t) => t.replace("description: fixture dataset for the CLI end-to-end tests", `description: "${"a".repeat(1024 * 1024)}"`)));
    const started = Date.now();
    const run = await runCli(["-r", "console,json,otlp"], { cwd: dir, timeoutMs: 30_000 });
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, ".evalgate/otlp-traces.json"))).toBe(true);
    // Quadratic redaction took 41 s on 80 KB; linear is well under a second on 1 MB.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
