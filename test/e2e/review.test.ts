import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyFixture, editFile, readReport, runCli, verdicts } from "../support/cli.ts";

/**
 * The prompt-change loop on a two-step agent (draft with native tool calling, then polish) whose
 * recordings are authored from scripted replies: edit → replay names the stale examples →
 * `--record --replies --stale` rewrites exactly the changed calls → nothing else moves.
 */

const RECORDINGS = "datasets/writer/recordings/v1";
const AGENT = "agents/writer.ts";

function snapshot(dir: string): Record<string, { text: string; mtime: number }> {
  const folder = join(dir, RECORDINGS);
  return Object.fromEntries(readdirSync(folder).sort().map((name) => [name, { text: readFileSync(join(folder, name), "utf8"), mtime: statSync(join(folder, name)).mtimeMs }]));
}
const recording = (dir: string, id: string) => JSON.parse(readFileSync(join(dir, RECORDINGS, `${id}.json`), "utf8"));

describe("re-recording only what is stale, from scripted replies", () => {
  let dir: string;
  let authored: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    dir = copyFixture("review");
    authored = await runCli(["--record", "--replies"], { cwd: dir });
  });

  it("--record --replies authors every recording with no key and no endpoint, native tool calls included", async () => {
    expect(authored.stderr).toBe("");
    expect(authored.code).toBe(0);
    expect(Object.keys(snapshot(dir))).toEqual(["counts.json", "greets.json"]);
    const counts = recording(dir, "counts");
    expect(counts.source).toBe("scripted replies: datasets/writer/authoring/v1.replies.yaml (gpt-4o-mini)");
    expect(counts.exchanges[0].response.body.choices[0].message.tool_calls[0].function).toEqual({ name: "lookup", arguments: '{"key":"companies"}' });
    // The draft steps use the graph's model; the polish step asked ctx.model("gpt-4o").
    expect(counts.exchanges.map((e: any) => e.request.body.model)).toEqual(["gpt-4o-mini", "gpt-4o-mini", "gpt-4o"]);
    expect(counts.exchanges[0].request.body.tools[0].function.name).toBe("lookup");
    const replay = await runCli([], { cwd: dir });
    expect(replay.code).toBe(0);
    expect(verdicts(readReport(dir))).toEqual({ greets: "ok", counts: "ok" });
    expect(readReport(dir).examples.find((e) => e.id === "counts")!.output!.data).toEqual({ draft: "2607 companies, drafted", used_tool: true });
    const spans = readReport(dir).examples.find((e) => e.id === "counts")!.spans;
    expect(spans.map((sp) => sp.name)).toEqual(expect.arrayContaining(["chat gpt-4o-mini", "tool:lookup", "chat gpt-4o"]));
    expect(spans.find((sp) => sp.name === "tool:lookup")!.attributes["evalgate.tool.result"]).toBe("companies: 2607 rows");
  });

  it("--record --replies --stale with nothing changed touches no file", async () => {
    const before = snapshot(dir);
    const run = await runCli(["--record", "--replies", "--stale"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("never requested");
    expect(snapshot(dir)).toEqual(before);
  });

  describe("after an edit of the polish prompt", () => {
    let before: ReturnType<typeof snapshot>;
    let hashBefore: string;
    let hashEdited: string;
    let replay: Awaited<ReturnType<typeof runCli>>;

    beforeAll(async () => {
      await runCli([], { cwd: dir });
      hashBefore = readReport(dir).run.prompt_hashes.writer!;
      before = snapshot(dir);
      editFile(dir, AGENT, (t) => t.replace("Polish the draft. Keep it short.", "Polish the draft. Keep it short and friendly."));
      replay = await runCli([], { cwd: dir });
      hashEdited = readReport(dir).run.prompt_hashes.writer!;
    });

    it("replay names both examples as stale, with the scripted re-record command, and one command for all of them", () => {
      expect(replay.code).toBe(1);
      expect(replay.stdout).toContain("all 2 regressions are stale or missing recordings (the requests changed): re-record them with node ../../../cli/bin.ts --record --replies --stale --graph writer");
      expect(readReport(dir).examples.every((e) => e.rerecord_command?.includes("--record --replies --stale --graph writer"))).toBe(true);
      const report = readReport(dir);
      expect(verdicts(report)).toEqual({ greets: "regression", counts: "regression" });
      const greets = report.examples.find((e) => e.id === "greets")!;
      expect(greets.error?.message).toContain("LLM call #2 of writer@v1/greets has no recording");
      expect(greets.error?.message).toContain('"Polish the draft. Keep it short and friendly."');
      expect(greets.error?.hint).toContain("--record --replies --stale --graph writer --dataset-version 1 --example greets");
    });

    it("the run's prompt hash for the graph follows the requests actually sent", () => {
      expect(readReport(dir).run.prompt_hashes.writer).toMatch(/^[0-9a-f]{16}$/);
      expect(readReport(dir).run.prompt_hashes.writer).not.toBe(hashBefore);
    });

    it("--record --replies --stale rewrites only the polish exchange in each file; a second run changes nothing", async () => {
      const run = await runCli(["--record", "--replies", "--stale"], { cwd: dir });
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain("never requested");
      for (const id of ["greets", "counts"]) {
        const old = JSON.parse(before[`${id}.json`]!.text);
        const now = recording(dir, id);
        const last = now.exchanges.length - 1;
        expect(now.exchanges.slice(0, last), `${id}: the draft calls are kept byte for byte`).toEqual(old.exchanges.slice(0, last));
        expect(now.exchanges[last].key).not.toBe(old.exchanges[last].key);
        expect(JSON.stringify(now.exchanges[last].request.body)).toContain("Keep it short and friendly.");
        expect(now.recorded_at).not.toBe(old.recorded_at);
        expect(now.source).toBe(old.source);
      }
      const after = snapshot(dir);
      const again = await runCli(["--record", "--replies", "--stale"], { cwd: dir });
      expect(again.code).toBe(0);
      expect(snapshot(dir)).toEqual(after);
      const replayed = await runCli([], { cwd: dir });
      expect(replayed.code).toBe(0);
    });

    it("the prompt hash names the requests, not the recordings: replay after re-recording hashes as the stale replay did", () => {
      expect(readReport(dir).run.prompt_hashes.writer).toBe(hashEdited);
    });
  });

  it("an edited scripted reply is re-recorded by --stale (its request did not change, its answer did)", async () => {
    const other = copyFixture("review");
    expect((await runCli(["--record", "--replies"], { cwd: other })).code).toBe(0);
    const before = snapshot(other);
    editFile(other, "datasets/writer/authoring/v1.replies.yaml", (t) => t.replace('    - reply: "Hello there!"', '    - reply: "Hello there, you!"'));
    const run = await runCli(["--record", "--replies", "--stale"], { cwd: other });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("evalgate: --record wrote 1 recording file(s), 1 left as they were (every exchange still matched)");
    const after = snapshot(other);
    expect(after["counts.json"]).toEqual(before["counts.json"]);
    const greets = recording(other, "greets");
    expect(greets.exchanges[0]).toEqual(JSON.parse(before["greets.json"]!.text).exchanges[0]);
    expect(greets.exchanges[1].response.body.choices[0].message.content).toBe("Hello there, you!");
  });

  it("a new example is recorded alone by --stale; the others stay untouched", async () => {
    const other = copyFixture("review");
    expect((await runCli(["--record", "--replies"], { cwd: other })).code).toBe(0);
    const before = snapshot(other);
    editFile(other, "datasets/writer/v1.yaml", (t) => `${t}
  - id: farewell
    input: { question: "say goodbye" }
    expect: { must_contain: ["bye"] }
    pass: true
`);
    editFile(other, "datasets/writer/authoring/v1.replies.yaml", (t) => `${t}  farewell:
    - reply: "bye, a draft"
    - reply: "Goodbye!"
`);
    const replay = await runCli([], { cwd: other });
    expect(replay.code).toBe(1);
    expect(readReport(other).examples.find((e) => e.id === "farewell")!.error?.message).toContain("no recording file");
    const run = await runCli(["--record", "--replies", "--stale"], { cwd: other });
    expect(run.code).toBe(0);
    const after = snapshot(other);
    expect(Object.keys(after)).toEqual(["counts.json", "farewell.json", "greets.json"]);
    expect(after["greets.json"]).toEqual(before["greets.json"]);
    expect(after["counts.json"]).toEqual(before["counts.json"]);
  });

  it("replies out of step with the agent are named: a reply never requested, a request with no reply left", async () => {
    const other = copyFixture("review");
    editFile(other, "datasets/writer/authoring/v1.replies.yaml", (t) => t.replace('    - reply: "Hello there!"\n', '    - reply: "Hello there!"\n    - reply: "an extra one"\n').replace('    - reply: "There are 2607 companies."\n', ""));
    const run = await runCli(["--record", "--replies"], { cwd: other });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("writer@v1/greets: 1 scripted reply was never requested");
    expect(run.stdout).toContain("writer@v1/counts: no scripted reply left for writer@v1/counts");
    // In the order things happened: the console passes example lines on in batches, and the
    // runner's own lines wait for the ones held back (they all came first when written straight out).
    const lines = run.stdout.split("\n");
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const examples = lines.map((line, i) => (/^(ok|REGRESSION|FIXED|known-failure) {2}writer@v1 /.test(line) ? i : -1)).filter((i) => i >= 0);
    expect(examples.length).toBeGreaterThan(1);
    expect(at(/--record wrote/)).toBeGreaterThan(Math.max(...examples));
    // What is said about an example comes after that example's own line.
    expect(at(/^evalgate: writer@v1\/greets: 1 scripted reply was never requested/)).toBeGreaterThan(at(/^\S+ {2}writer@v1 greets /));
    expect(at(/^evalgate: writer@v1\/counts: no scripted reply left/)).toBeGreaterThan(at(/^\S+ {2}writer@v1 counts /));
    const counts = readReport(other).examples.find((e) => e.id === "counts")!;
    expect(counts.error?.kind).toBe("endpoint_error");
    // Which file to edit, and where in it.
    expect(counts.error?.message).toContain("add a reply for this call under examples.counts in datasets/writer/authoring/v1.replies.yaml");
  });

  it("an example with no entry in the replies file is told where to add one", async () => {
    const other = copyFixture("review");
    editFile(other, "datasets/writer/v1.yaml", (t) => `${t}
  - id: unscripted
    input: { question: "say nothing" }
    expect: { must_contain: ["x"] }
    pass: true
`);
    const run = await runCli(["--record", "--replies", "--example", "unscripted"], { cwd: other });
    expect(run.code).toBe(1);
    expect(readReport(other).examples[0]!.error?.message).toContain('writer@v1/unscripted has no scripted replies: add "unscripted:" with a reply per LLM call under examples: in datasets/writer/authoring/v1.replies.yaml');
  });

  it("--replies on a dataset without a replies file exits 2 naming the file to create", async () => {
    const other = copyFixture("basic");
    const run = await runCli(["--record", "--replies"], { cwd: other });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--replies needs scripted replies for qa@v1 in datasets/qa/authoring/v1.replies.yaml");
  });

  it("--stale without --record is a usage error", async () => {
    const run = await runCli(["--stale"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--stale goes with --record");
  });
});
