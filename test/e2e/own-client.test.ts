import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../support/fake-openai.ts";
import { copyFixture, readReport, runCli, verdicts } from "../support/cli.ts";

/**
 * Replay is hermetic by construction: an agent that builds its own ChatOpenAI (with a real-looking
 * key in the environment) is served from its example's recording, and a request to anything else
 * fails that example naming the host. A sentinel server stands where the agent's own clients point:
 * during replay it must receive nothing.
 */

// Put together at run time, so no tracked line looks like a credential to a scanner.
const OWN_KEY = ["sk", "test", "own", "5e6f7a8b"].join("-");

describe("clients the agent builds itself", () => {
  const openai = new FakeOpenAI();
  const received: string[] = [];
  let sentinel: Server;
  let sentinelUrl: string;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    sentinel = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      res.writeHead(200, { "content-type": "text/plain" }).end("sentinel");
    });
    await new Promise<void>((resolve) => sentinel.listen(0, "127.0.0.1", resolve));
    sentinelUrl = `http://127.0.0.1:${(sentinel.address() as AddressInfo).port}`;
    env = { OWN_OPENAI_KEY: OWN_KEY, OWN_OPENAI_BASE_URL: `${sentinelUrl}/v1`, OWN_SEARCH_URL: sentinelUrl };
    dir = copyFixture("own-client");
    const baseURL = await openai.start();
    openai.delayMs = 30; // answers overlap, so attribution under concurrency is really tested
    openai.load([{ when: "say alpha", reply: "alpha!" }, { when: "say beta", reply: "beta!" }, { when: "say gamma", reply: "gamma!" }]);
    const record = await runCli(["--record", "--base-url", baseURL], { cwd: dir, env: { ...env, FIXTURE_OPENAI_KEY: ["sk", "test", "fixture", "1"].join("-") } });
    if (record.code !== 0) throw new Error(record.stdout + record.stderr);
    await openai.stop();
  });
  afterAll(async () => {
    await openai.stop();
    await new Promise<void>((resolve) => sentinel.close(() => resolve()));
  });

  it("record mode records the agent's own client, each example into its own file", () => {
    expect(openai.seen).toHaveLength(3);
    expect(received).toEqual([]);
    for (const id of ["alpha", "beta", "gamma"]) {
      const rec = JSON.parse(readFileSync(join(dir, `datasets/bot/recordings/v1/${id}.json`), "utf8"));
      expect(rec.exchanges).toHaveLength(1);
      expect(rec.exchanges[0].response.body.choices[0].message.content).toBe(`${id}!`);
      expect(JSON.stringify(rec)).not.toContain(OWN_KEY);
    }
  });

  it("replay serves the agent's own ChatOpenAI from the recordings and opens no socket to its endpoint", async () => {
    const run = await runCli([], { cwd: dir, env });
    expect(run.code).toBe(0);
    expect(received).toEqual([]);
    const report = readReport(dir);
    expect(verdicts(report)).toEqual({ alpha: "ok", beta: "ok", gamma: "ok" });
    for (const e of report.examples) expect(e.output?.answer).toBe(`${e.id}!`);
    expect(report.usage.llm_calls).toBe(3);
  });

  it("replays an agent whose own client finds no key in the environment: the SDK's default variable is filled, nothing leaves", async () => {
    const { OWN_OPENAI_KEY: _key, ...keyless } = env;
    const run = await runCli([], { cwd: dir, env: keyless });
    expect(run.code, run.stdout).toBe(0);
    expect(received).toEqual([]);
    expect(verdicts(readReport(dir))).toEqual({ alpha: "ok", beta: "ok", gamma: "ok" });
  });

  it("a stale request from the agent's own client, which retries by default, fails at once as a miss instead of retrying until the timeout", async () => {
    const yaml = join(dir, "datasets/bot/v1.yaml");
    const before = readFileSync(yaml, "utf8");
    // The question changed since recording (a stale request); the example allows 20 s, and LangChain's
    // default retries back off for longer than that.
    writeFileSync(yaml, before.replace('input: { question: "say alpha" }', 'input: { question: "say alpha, please", retries: true }\n    timeout_ms: 20000'));
    try {
      const run = await runCli([], { cwd: dir, env });
      expect(run.code).toBe(1);
      expect(received).toEqual([]);
      const alpha = readReport(dir).examples.find((e) => e.id === "alpha")!;
      expect(alpha.error?.kind).toBe("recording_miss");
      expect(alpha.error?.message).toContain("LLM call #1 of bot@v1/alpha has no recording");
      // One attempt: the refusal is not retried.
      expect(alpha.spans.filter((s) => s.kind === "llm")).toHaveLength(1);
    } finally {
      writeFileSync(yaml, before);
    }
  });

  it("--record --replies with a reply missing: the agent's own retrying client gives up at once, and the example says what is missing", async () => {
    const other = copyFixture("own-client");
    const yaml = join(other, "datasets/bot/v1.yaml");
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace('input: { question: "say alpha" }', 'input: { question: "say alpha", retries: true }\n    timeout_ms: 20000'));
    mkdirSync(join(other, "datasets/bot/authoring"), { recursive: true });
    // alpha has an entry with no reply left for its call; beta and gamma are scripted.
    writeFileSync(join(other, "datasets/bot/authoring/v1.replies.yaml"), 'examples:\n  alpha: []\n  beta:\n    - reply: "beta!"\n  gamma:\n    - reply: "gamma!"\n');
    const run = await runCli(["--record", "--replies"], { cwd: other, env });
    expect(received).toEqual([]);
    const alpha = readReport(other).examples.find((e) => e.id === "alpha")!;
    // Not a 20 s timeout ("look for a hang in the agent"): the endpoint's refusal, once.
    expect(alpha.error?.kind, run.stdout).toBe("endpoint_error");
    expect(alpha.error?.message).toContain("no scripted reply left for bot@v1/alpha");
    expect(alpha.spans.filter((s) => s.kind === "llm")).toHaveLength(1);
  });

  it("--record against an endpoint that refuses connections: the example names the refusal, not a hang, though the agent's client retried until the timeout", async () => {
    const other = copyFixture("own-client");
    const yaml = join(other, "datasets/bot/v1.yaml");
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace('input: { question: "say alpha" }', 'input: { question: "say alpha", retries: true }\n    timeout_ms: 2500'));
    // A port nothing listens on: every connection is refused at once.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await runCli(["--record", "--base-url", `http://127.0.0.1:${port}/v1`, "--example", "alpha"], { cwd: other, env: { ...env, FIXTURE_OPENAI_KEY: ["sk", "test", "fixture", "2"].join("-") } });
    const alpha = readReport(other).examples.find((e) => e.id === "alpha")!;
    expect(alpha.error?.kind, run.stdout).toBe("endpoint_error");
    expect(alpha.error?.message).toMatch(/^the LLM endpoint failed: call #1: fetch failed \(ECONNREFUSED\)/);
    expect(alpha.error?.message).toContain("the agent's client kept retrying until the example's 2500 ms were up");
    expect(alpha.error?.hint).toContain(`http://127.0.0.1:${port}/v1`);
  });

  it("a fetch to another host during replay fails that example, naming the host; the others pass", async () => {
    const yaml = join(dir, "datasets/bot/v1.yaml");
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace('input: { question: "say beta" }', 'input: { question: "say beta", search: true }'));
    const run = await runCli([], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(received).toEqual([]);
    const report = readReport(dir);
    expect(verdicts(report)).toEqual({ alpha: "ok", beta: "regression", gamma: "ok" });
    const beta = report.examples.find((e) => e.id === "beta")!;
    expect(beta.error?.kind).toBe("network_call");
    expect(beta.error?.message).toBe(`network call to ${new URL(sentinelUrl).host}/v1/search during replay`);
    expect(beta.error?.hint).toContain("replay: { allow_hosts");
    expect(run.stdout).toContain("network call to");
  });

  it("a node:http request to another host during replay fails that example too", async () => {
    const yaml = join(dir, "datasets/bot/v1.yaml");
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace('input: { question: "say beta", search: true }', 'input: { question: "say beta" }').replace('input: { question: "say gamma" }', 'input: { question: "say gamma", lookup: true }'));
    const run = await runCli([], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(received).toEqual([]);
    const report = readReport(dir);
    expect(verdicts(report)).toEqual({ alpha: "ok", beta: "ok", gamma: "regression" });
    const gamma = report.examples.find((e) => e.id === "gamma")!;
    expect(gamma.error?.kind).toBe("network_call");
    expect(gamma.error?.message).toBe(`network call to ${new URL(sentinelUrl).host}/v1/lookup during replay`);
  });
});
