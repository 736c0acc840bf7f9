import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExampleResult, Report } from "../../core/report.ts";
import { copyFixture, editFile, readReport, runCli } from "../support/cli.ts";
import { TrialOpenAI } from "../support/trial-openai.ts";

// Assembled at run time: no key-shaped literal in the repository.
const KEY = ["fixture", "agent", "key", "0123456789"].join("-");
const JUDGE_KEY = ["fixture", "judge", "key", "0123456789"].join("-");
const ENV = { FIXTURE_OPENAI_KEY: KEY, FIXTURE_JUDGE_KEY: JUDGE_KEY };
const RECORDINGS = "datasets/support/recordings/v1";

const byId = (report: Report) => Object.fromEntries(report.examples.map((e) => [e.id, e])) as Record<string, ExampleResult>;
const passes = (report: Report) => Object.fromEntries(report.examples.map((e) => [e.id, e.trials?.passes]));

describe("trials against a model that passes with a set probability (local server, seeded)", () => {
  const server = new TrialOpenAI();
  let url = "";
  let dir = "";
  beforeAll(async () => {
    url = await server.start();
    dir = copyFixture("trials");
  });
  afterAll(() => server.stop());

  const live = (rates: Record<string, number>, args: string[]) => {
    server.rates = rates;
    server.reset();
    return runCli(["--live", "--trials", "10", "--base-url", url, ...args], { cwd: dir, env: ENV });
  };

  it("classes a 100 % example stable and a 50 % one flaky; flaky passes the gate unless --strict", async () => {
    server.rateLimitFirst = 3; // the first calls are rate limited: retried after Retry-After, not failed
    const run = await live({ always: 1, coin: 0.5, drop: 0.9, slight: 0.9, rated: 0.7 }, ["-o", "baseline"]);
    server.rateLimitFirst = 0;
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const e = byId(readReport(dir, "baseline"));
    expect(e.always!.trials).toMatchObject({ k: 10, passes: 10, class: "stable_pass" });
    expect(e.always!.trials!.wilson.low).toBeCloseTo(0.7225, 3);
    expect(e.always!.trials!.pass_pow_k).toEqual({ at: 3, value: 1 });
    expect(e.always!.verdict).toBe("ok");
    expect(e.coin!.trials).toMatchObject({ passes: 5, class: "flaky" });
    expect(e.coin!.trials!.pass_at_k.value).toBeCloseTo(1 - (5 * 4 * 3) / (10 * 9 * 8), 10);
    expect(e.coin!.verdict).toBe("ok");
    expect(e.coin!.verdict_note).toMatch(/flaky is reported, and fails the gate only under --strict/);
    expect(e.coin!.usage.llm_calls).toBe(10);
    expect(run.stdout).toMatch(/ok {2}support@v1 coin 5\/10 flaky/);
    expect(run.stdout).toMatch(/trials: 6 example\(s\) run 10 times: 4 stable pass, 2 flaky, 0 stable fail/);

    const strict = await live({ always: 1, coin: 0.5, drop: 0.9, slight: 0.9, rated: 0.7 }, ["--strict", "-o", "strict"]);
    expect(strict.code).toBe(1);
    expect(byId(readReport(dir, "strict")).coin!.verdict).toBe("regression");
  });

  it("against the baseline: 90 % → 20 % is a regression, 90 % → 80 % at k=10 is inconclusive with the trials it would take", async () => {
    const run = await live({ always: 1, coin: 0.5, drop: 0.2, slight: 0.8, rated: 0.7 }, ["--baseline", "baseline", "-o", "head"]);
    expect(run.code).toBe(1);
    const e = byId(readReport(dir, "head"));
    expect(e.drop!.trials!.baseline).toMatchObject({ passes: 9, k: 10, result: "regressed" });
    expect(e.drop!.trials!.baseline!.p_value).toBeLessThan(0.01);
    expect(e.drop!.verdict).toBe("regression");
    expect(e.slight!.trials!.baseline).toMatchObject({ passes: 9, k: 10, result: "inconclusive" });
    expect(e.slight!.trials!.baseline!.trials_needed).toBeGreaterThan(50);
    expect(e.slight!.verdict).toBe("ok");
    expect(e.slight!.verdict_note).toMatch(/inconclusive: about \d+ trials per run would tell/);
    expect(e.always!.trials!.baseline!.result).toBe("no_drop");
    expect(run.stdout).toMatch(/REGRESSION {2}support@v1 drop 2\/10 flaky, baseline 9\/10 regressed/);
    expect(run.stdout).toContain("1 regression, 0 fixed, 0 known failures, 5 ok");
  });

  it("records every trial, and replays them to the same counts twice with the server stopped", async () => {
    const rec = await live({ always: 1, coin: 0.5, drop: 0.9, slight: 0.9, rated: 0.7 }, []).then(() => {
      server.reset();
      return runCli(["--record", "--trials", "10", "--base-url", url, "-o", "recorded"], { cwd: dir, env: ENV });
    });
    expect(rec.code, rec.stdout).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, RECORDINGS, "coin.json"), "utf8"));
    expect(file.exchanges.map((x: { trial: number }) => x.trial)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const recorded = passes(readReport(dir, "recorded"));
    expect(recorded).toMatchObject({ always: 10, coin: 5, drop: 9, slight: 9, rated: 7, judged: 10 });
    await server.stop();
    try {
      for (const out of ["replay-1", "replay-2"]) {
        const replay = await runCli(["--trials", "10", "-o", out], { cwd: dir });
        expect(replay.code, replay.stdout).toBe(0);
        expect(passes(readReport(dir, out))).toEqual(recorded);
      }
      // `rated` declares trials: 10, so --stale replays its ten trials; nothing changed, so none is asked again and its file stays.
      const ratedFile = join(dir, RECORDINGS, "rated.json");
      const ratedBefore = readFileSync(ratedFile, "utf8");
      url = await server.start();
      server.reset();
      const stale = await runCli(["--record", "--stale", "--base-url", url, "-e", "rated", "-o", "stale"], { cwd: dir, env: ENV });
      await server.stop();
      expect(stale.code, stale.stdout + stale.stderr).toBe(0);
      expect(server.seen).toEqual([]);
      expect(stale.stdout).toContain("--record wrote 0 recording file(s), 1 left as they were");
      expect(readFileSync(ratedFile, "utf8")).toBe(ratedBefore);
      expect(readReport(dir, "stale").examples[0]!.trials!.passes).toBe(7);
      // `rated` declares trials: 10 in the YAML; the others were recorded with --trials 10 and say so.
      const plain = await runCli(["-o", "plain"], { cwd: dir });
      expect(plain.code).toBe(1);
      const e = byId(readReport(dir, "plain"));
      expect(e.rated!.trials!.passes).toBe(7);
      expect(e.coin!.error).toMatchObject({ kind: "recording_trials", hint: expect.stringContaining("--trials 10") });
    } finally {
      url = await server.start();
    }
  });
});

describe("a judge whose call is recorded and replayed", () => {
  const server = new TrialOpenAI();
  let url = "";
  let dir = "";
  const recording = () => JSON.parse(readFileSync(join(dir, RECORDINGS, "judged.json"), "utf8")) as { exchanges: { role?: string; request: { body: { messages: { content: string }[] } }; response: { body: { choices: { message: { content: string } }[] } } }[] };
  beforeAll(async () => {
    url = await server.start();
    dir = copyFixture("trials");
    const rec = await runCli(["--record", "--base-url", url, "-e", "judged"], { cwd: dir, env: ENV });
    expect(rec.code, rec.stdout).toBe(0);
    await server.stop();
  });

  it("replays the judge with the server stopped, scored, priced and traced as its own span", async () => {
    const run = await runCli(["-e", "judged"], { cwd: dir });
    expect(run.code, run.stdout).toBe(0);
    const e = readReport(dir).examples[0]!;
    expect(e.scores.find((s) => s.name === "judge")).toMatchObject({ pass: true, score: 1, reason: expect.stringContaining("says the order is inside the refund window") });
    const judgeSpan = e.spans.find((s) => s.kind === "judge")!;
    const call = e.spans.find((s) => s.parent_id === judgeSpan.id)!;
    expect(call).toMatchObject({ kind: "llm", attributes: expect.objectContaining({ "gen_ai.request.model": "gpt-4o", "evalgate.recorded": true }) });
    expect(call.attributes["evalgate.cost_usd"]).toBeGreaterThan(0);
    // The judge grades this run: its span hangs under the run's root, and its price is in the example's cost.
    expect(judgeSpan.parent_id).toBe(e.spans[0]!.id);
    const agentCall = e.spans.find((s) => s.kind === "llm" && s.parent_id !== judgeSpan.id)!;
    expect(e.cost_usd).toBeCloseTo(Number(agentCall.attributes["evalgate.cost_usd"]) + Number(call.attributes["evalgate.cost_usd"]), 8);
    expect(readReport(dir).cost_usd).toBe(e.cost_usd);
    // The agent's budget counts the agent's one call, not the judge's.
    expect(e.usage.llm_calls).toBe(1);
    expect(recording().exchanges.map((x) => x.role ?? "agent")).toEqual(["agent", "judge"]);
  });

  it("--record --stale with nothing changed calls neither the agent's model nor the judge, and leaves the file byte for byte", async () => {
    const file = join(dir, RECORDINGS, "judged.json");
    const before = readFileSync(file, "utf8");
    url = await server.start();
    server.reset();
    const stale = await runCli(["--record", "--stale", "--base-url", url, "-e", "judged"], { cwd: dir, env: ENV });
    await server.stop();
    expect(stale.code, stale.stdout).toBe(0);
    expect(server.seen).toEqual([]);
    expect(stale.stdout).toContain("--record wrote 0 recording file(s), 1 left as they were");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("an edited rubric is a judge miss naming the change and the judge-only re-record; --record --judge-only re-records the judge alone", async () => {
    const before = recording();
    editFile(dir, "datasets/support/v1.yaml", (t) => t.replace("The answer tells the customer whether", "The answer tells the customer plainly whether"));
    const miss = await runCli(["-e", "judged"], { cwd: dir });
    expect(miss.code).toBe(1);
    const e = readReport(dir).examples[0]!;
    expect(e.error).toMatchObject({ kind: "judge_miss" });
    expect(e.error!.message).toContain('recorded: "The answer tells the customer whether');
    expect(e.error!.message).toContain('now:      "The answer tells the customer plainly whether');
    expect(e.error!.hint).toContain("--record --judge-only --graph support --dataset-version 1 --example judged");

    url = await server.start();
    server.reset();
    const rerecord = await runCli(["--record", "--judge-only", "--base-url", url, "-e", "judged"], { cwd: dir, env: { FIXTURE_JUDGE_KEY: JUDGE_KEY } });
    await server.stop();
    expect(rerecord.code, rerecord.stdout).toBe(0);
    expect(server.seen.map((s) => s.model)).toEqual(["gpt-4o"]);
    const after = recording();
    expect(JSON.stringify(after.exchanges.filter((x) => !x.role))).toBe(JSON.stringify(before.exchanges.filter((x) => !x.role)));
    expect(after.exchanges.find((x) => x.role)!.request.body.messages[1]!.content).toContain("plainly");
    expect((await runCli(["-e", "judged"], { cwd: dir })).code).toBe(0);
  });

  it("a changed answer is a judge miss too, never a silent re-judge", async () => {
    const file = recording();
    file.exchanges[0]!.response.body.choices[0]!.message.content = "Yes: your order is inside the refund window, and you may return it.";
    writeFileSync(join(dir, RECORDINGS, "judged.json"), `${JSON.stringify(file, null, 2)}\n`);
    const run = await runCli(["-e", "judged"], { cwd: dir });
    expect(run.code).toBe(1);
    const e = readReport(dir).examples[0]!;
    expect(e.error).toMatchObject({ kind: "judge_miss" });
    expect(e.error!.message, e.error!.message).toContain("and you may return it");
  });

  it("an unparsable judge reply fails the check with the raw reply", async () => {
    const file = recording();
    file.exchanges[1]!.response.body.choices[0]!.message.content = "I think it is fine, 9/10";
    // Restore the answer the judge was asked about, so the judge call still matches.
    writeFileSync(join(dir, RECORDINGS, "judged.json"), `${JSON.stringify(file, null, 2)}\n`);
    editFile(dir, RECORDINGS + "/judged.json", (t) => t.replace("Yes: your order is inside the refund window, and you may return it.", "Yes: your order is inside the refund window (request 1)."));
    const run = await runCli(["-e", "judged"], { cwd: dir });
    expect(run.code).toBe(1);
    const score = readReport(dir).examples[0]!.scores.find((s) => s.name === "judge")!;
    expect(score.pass).toBe(false);
    expect(score.reason).toContain('"I think it is fine, 9/10"');
  });
});
