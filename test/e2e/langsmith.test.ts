import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExampleResult, Report } from "../../core/report.ts";
import { copyFixture, readReport, REPO, runCli, verdicts, type CliResult } from "../support/cli.ts";
import { startFakeLangSmith, type FakeLangSmith, type FakeMode } from "../support/fake-langsmith.ts";
import { FakeOpenAI } from "../support/fake-openai.ts";

/**
 * Issue 4 through the real CLI: upload to a fake LangSmith on 127.0.0.1, fail-open when it is
 * down, `evalgate upload` of a saved report, redaction of planted PII, the span contract, and
 * OTLP export. One project is recorded once (beforeAll) and replayed by every scenario.
 */

const LANGSMITH_KEY = "lsv2_pt_e2e_fake0";
const PLANTED_EMAIL = "jane.roe@example.org";
const PLANTED_KEY = "sk-planted-7Qw2Er4";
/** In the dataset file's description, which LangSmith shows on the dataset. */
const PLANTED_OWNER = "data-owner@example.net";
const REPLIES = [
  { when: "say hello", reply: "Well hello there!" },
  { when: "how many companies", reply: "There are 2607 companies." },
  { when: "how many contacts", reply: "There are about 5000 contacts." },
  { when: "who owns the account", reply: `The account of ${PLANTED_EMAIL} is owned by Jane; never share ${PLANTED_KEY}.` },
];
const EXPECTED_VERDICTS = { greets: "ok", "counts-companies": "ok", "contradicts-tool": "known_failure", "account-owner": "ok" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What LangSmith being down may add to a run: the 2 s GET /info probe, plus slack for a busy 2-core machine. */
const DOWN_BOUND_MS = 2_000 + 3_000;

type Json = Record<string, any>;
interface Timed extends CliResult {
  ms: number;
}

async function timedCli(args: readonly string[], opts: { cwd: string; env?: Record<string, string> }): Promise<Timed> {
  const started = performance.now();
  const result = await runCli(args, opts);
  return { ...result, ms: Math.round(performance.now() - started) };
}

/** The fake server's state as loosely typed JSON, for assertions. */
function stored(server: FakeLangSmith, kind: "datasets" | "examples" | "sessions" | "runs" | "feedback"): Json[] {
  return [...server[kind].values()] as Json[];
}

function langsmithEnv(server: FakeLangSmith): Record<string, string> {
  return { LANGSMITH_API_KEY: LANGSMITH_KEY, LANGSMITH_ENDPOINT: server.url };
}

function copyRecordings(from: string, to: string): void {
  cpSync(join(from, "datasets/qa/recordings"), join(to, "datasets/qa/recordings"), { recursive: true });
}

/** The runs of one experiment, grouped by trace, with the example each root points at. */
function tracesOf(server: FakeLangSmith, session: Json): Array<{ evalgateId: string; root: Json; runs: Json[]; feedback: Json[] }> {
  const runs = stored(server, "runs").filter((r) => r.session_name === session.name);
  return runs
    .filter((r) => r.parent_run_id === undefined)
    .map((root) => ({
      evalgateId: (server.examples.get(root.reference_example_id) as Json | undefined)?.metadata?.evalgate_id as string,
      root,
      runs: runs.filter((r) => r.trace_id === root.id),
      feedback: stored(server, "feedback").filter((f) => f.run_id === root.id),
    }));
}

/** What an experiment looks like, without the ids and times that differ between uploads. */
function experimentShape(server: FakeLangSmith, session: Json) {
  const dataset = server.datasets.get(session.reference_dataset_id) as Json;
  const { run_started_at, run_finished_at, ...metadata } = session.extra.metadata as Json;
  return {
    dataset: dataset.name,
    exampleIds: [...server.examples.keys()].sort(),
    metadata,
    runStartedAt: run_started_at,
    closed: session.end_time !== null,
    traces: tracesOf(server, session)
      .map((t) => ({
        example: t.evalgateId,
        referenceExampleId: t.root.reference_example_id,
        runs: t.runs.map((r) => `${r.run_type} ${r.name}`).sort(),
        feedback: t.feedback.map((f) => `${f.key}=${f.score}`).sort(),
      }))
      .sort((a, b) => a.example.localeCompare(b.example)),
  };
}

/** Everything a client sent, as one string per request: the place to look for leaks. */
function wireText(server: FakeLangSmith): string[] {
  return server.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}\n${r.body}`);
}

function count(server: FakeLangSmith, method: string, path: RegExp): number {
  return server.requests.filter((r) => r.method === method && path.test(r.path)).length;
}

describe("LangSmith and OTLP export through the CLI (fixture project recorded through the real ChatOpenAI)", () => {
  const openai = new FakeOpenAI();
  const servers: FakeLangSmith[] = [];
  const timings: Record<string, number> = {};
  let project: string;
  let baseline: Timed;
  let baselineReport: Report;
  /** The server of the first successful upload, shared by the PII and upload-later scenarios. */
  let uploaded: FakeLangSmith | undefined;

  async function fakeLangSmith(mode: FakeMode = "ok"): Promise<FakeLangSmith> {
    const server = await startFakeLangSmith({ mode });
    servers.push(server);
    return server;
  }

  beforeAll(async () => {
    project = copyFixture("langsmith");
    const baseURL = await openai.start();
    openai.load(REPLIES);
    const record = await runCli(["--record", "--base-url", baseURL], { cwd: project, env: { FIXTURE_OPENAI_KEY: "sk-fixture-rec-0000" } });
    await openai.stop();
    if (record.code !== 0) throw new Error(`recording the fixture failed (${record.code}):\n${record.stdout}\n${record.stderr}`);
    // The reference every upload scenario is compared with: the same replay, nothing uploaded.
    baseline = await timedCli([], { cwd: project });
    baselineReport = readReport(project);
    timings["replay, no upload"] = baseline.ms;
  });
  afterAll(async () => {
    await openai.stop();
    await Promise.all(servers.map((s) => s.close()));
    console.info(`langsmith e2e wall times (ms): ${JSON.stringify(timings)}`);
  });

  it("the baseline replay passes the gate without touching LangSmith", () => {
    expect(baseline.code).toBe(0);
    expect(verdicts(baselineReport)).toEqual(EXPECTED_VERDICTS);
    expect(baselineReport.langsmith).toBeUndefined();
    expect(baseline.stdout).not.toMatch(/LangSmith/);
  });

  it("LangChain's own tracing variables, whatever their value, send nothing to LangSmith during the run", async () => {
    const server = await fakeLangSmith();
    servers.push(server);
    const tracing = { LANGSMITH_TRACING: "true", LANGCHAIN_TRACING_V2: "true", LANGCHAIN_TRACING: "false", LANGCHAIN_ENDPOINT: server.url, LANGCHAIN_API_KEY: LANGSMITH_KEY };
    const run = await runCli(["--no-upload", "--out-dir", "tracing-off"], { cwd: project, env: { ...langsmithEnv(server), ...tracing } });
    expect(run.code).toBe(0);
    expect(verdicts(readReport(project, "tracing-off"))).toEqual(EXPECTED_VERDICTS);
    expect(server.requests).toEqual([]);
  });

  it("uploads dataset, examples, one closed experiment, nested runs and feedback; links land in stdout, report.json and summary.md", async () => {
    const server = await fakeLangSmith();
    const run = await timedCli([], { cwd: project, env: langsmithEnv(server) });
    timings["replay + upload"] = run.ms;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(baseline.code);
    const report = readReport(project);
    expect(verdicts(report)).toEqual(verdicts(baselineReport));

    // Dataset and examples, with ids that do not depend on the server.
    expect(stored(server, "datasets").map((d) => d.name)).toEqual(["qa@v1"]);
    const dataset = stored(server, "datasets")[0]!;
    const examples = stored(server, "examples");
    expect(examples.map((e) => e.metadata.evalgate_id).sort()).toEqual(Object.keys(EXPECTED_VERDICTS).sort());
    for (const example of examples) {
      expect(example.id).toMatch(UUID);
      expect(example.dataset_id).toBe(dataset.id);
      expect(example.metadata.file).toBe("datasets/qa/v1.yaml");
    }
    const greets = examples.find((e) => e.metadata.evalgate_id === "greets")!;
    expect(greets.inputs).toEqual({ question: "say hello" });
    expect(greets.outputs).toMatchObject({ expected_pass: true, expect: { must_contain: ["hello"] } });

    // One experiment on that dataset, closed, carrying the run's provenance.
    expect(server.sessions.size).toBe(1);
    const session = stored(server, "sessions")[0]!;
    expect(session.reference_dataset_id).toBe(dataset.id);
    expect(session.end_time).toEqual(expect.any(String));
    expect(Date.parse(session.end_time)).toBeGreaterThanOrEqual(Date.parse(report.started_at));
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
    expect(session.extra.metadata).toMatchObject({
      mode: "replay",
      evalgate_version: pkg.version,
      dataset: "qa@v1",
      prompt_hash: report.run.prompt_hashes.qa,
      prompt_hashes: report.run.prompt_hashes,
      git_sha: report.run.git.sha,
      git_branch: report.run.git.branch,
      run_started_at: report.started_at,
      examples: 4,
      regressions: 0,
    });
    expect(report.run.prompt_hashes.qa).toMatch(/^[0-9a-f]{16}$/);
    // test/.tmp sits inside the repo's work tree, so git answers for the repo (null outside one).
    if (report.run.git.sha !== null) {
      expect(report.run.git.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(session.name).toContain(report.run.git.sha.slice(0, 7));
    }

    // Each example is one trace: a root linked to its dataset example, the spans nested under it,
    // and one feedback per score plus the verdict.
    const traces = tracesOf(server, session);
    expect(traces.map((t) => t.evalgateId).sort()).toEqual(Object.keys(EXPECTED_VERDICTS).sort());
    for (const trace of traces) {
      const result = report.examples.find((e) => e.id === trace.evalgateId)!;
      expect(trace.root.reference_example_id).toBe(examples.find((e) => e.metadata.evalgate_id === result.id)!.id);
      expect(trace.root.name).toBe("agent_run:qa");
      expect(trace.runs.map((r) => r.name).sort()).toEqual(result.spans.map((s) => s.name).sort());
      for (const child of trace.runs.filter((r) => r !== trace.root)) expect(child.parent_run_id).toBe(trace.root.id);
      const feedback = Object.fromEntries(trace.feedback.map((f) => [f.key, f]));
      for (const score of result.scores) expect(feedback[score.name]).toMatchObject({ score: score.score, session_id: session.id });
      expect(feedback.verdict).toMatchObject({ value: result.verdict, score: result.verdict === "regression" ? 0 : 1 });
      expect(trace.feedback).toHaveLength(result.scores.length + 2); // + verdict + pass
    }
    const counts = traces.find((t) => t.evalgateId === "counts-companies")!;
    expect(counts.runs.map((r) => [r.name, r.run_type]).sort()).toEqual([["agent_run:qa", "chain"], ["chat gpt-4o-mini", "llm"], ["tool:lookup", "tool"]]);
    expect(counts.runs.find((r) => r.run_type === "tool")!.outputs).toEqual({ output: "companies: 2607 rows" });
    expect(counts.feedback.find((f) => f.key === "spans")).toMatchObject({ score: 1 });
    const known = traces.find((t) => t.evalgateId === "contradicts-tool")!;
    expect(known.feedback.find((f) => f.key === "verdict")).toMatchObject({ value: "known_failure", score: 1 });
    expect(known.feedback.find((f) => f.key === "pass")).toMatchObject({ score: 0 });

    // The links.
    expect(report.langsmith).toMatchObject({ uploaded: true, experiment_id: session.id });
    const experimentUrl = report.langsmith!.experiment_url!;
    expect(experimentUrl).toBe(`http://localhost:3000/o/${server.tenantId}/datasets/${dataset.id}/compare?selectedSessions=${session.id}`);
    expect(run.stdout).toContain(`LangSmith experiment for qa@v1: ${experimentUrl}`);
    for (const example of report.examples) {
      const root = traces.find((t) => t.evalgateId === example.id)!.root;
      expect(example.trace_url).toBe(`http://localhost:3000/o/${server.tenantId}/projects/p/${session.id}/r/${root.id}?poll=true`);
    }
    const summary = readFileSync(join(project, ".evalgate/summary.md"), "utf8");
    expect(summary).toContain(`[open](${experimentUrl})`);
    expect(summary).toContain(`[contradicts-tool](${report.examples.find((e) => e.id === "contradicts-tool")!.trace_url})`);
    uploaded = server;

    // A second run finds the dataset and its examples and adds only a new experiment.
    const firstExampleIds = [...server.examples.keys()].sort();
    const again = await runCli([], { cwd: project, env: langsmithEnv(server) });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("LangSmith: dataset qa@v1 found; examples: 0 added, 0 updated, 4 unchanged");
    expect(server.datasets.size).toBe(1);
    expect([...server.examples.keys()].sort()).toEqual(firstExampleIds);
    expect(count(server, "POST", /^\/datasets$/)).toBe(1);
    expect(count(server, "POST", /\/examples$/)).toBe(1);
    expect(count(server, "PATCH", /\/examples$/)).toBe(0);
    expect(server.sessions.size).toBe(2);
    const second = stored(server, "sessions").find((s) => s.id !== session.id)!;
    expect(tracesOf(server, second).map((t) => t.root.reference_example_id).sort()).toEqual(firstExampleIds);
  });

  it("never sends the planted e-mail address or API key to LangSmith, only redaction markers", () => {
    expect(uploaded, "needs the upload scenario above").toBeDefined();
    const server = uploaded!;
    const wire = wireText(server);
    expect(wire.length).toBeGreaterThan(0);
    for (const planted of [PLANTED_EMAIL, PLANTED_KEY, PLANTED_OWNER, "jane.roe", "7Qw2Er4Ty6Ui8Op0", LANGSMITH_KEY]) {
      expect(wire.filter((text) => text.includes(planted)), planted).toEqual([]);
    }
    // The example did go up, redacted in its input, its expectation and its trace.
    expect(stored(server, "datasets")[0]!.description).toBe("fixture dataset for the LangSmith and OTLP end-to-end tests; questions to [redacted:email]");
    const example = stored(server, "examples").find((e) => e.metadata.evalgate_id === "account-owner")!;
    expect(example.inputs.question).toBe("who owns the account of [redacted:email]? my key is [redacted:api-key]");
    expect(example.outputs.expect.must_contain).toEqual(["[redacted:email]"]);
    const traceIds = new Set(stored(server, "runs").filter((r) => r.reference_example_id === example.id).map((r) => r.trace_id));
    const runs = stored(server, "runs").filter((r) => traceIds.has(r.trace_id));
    const llm = runs.find((r) => r.run_type === "llm")!;
    expect(JSON.stringify(llm.inputs)).toContain("[redacted:email]");
    expect(JSON.stringify(llm.outputs)).toContain("[redacted:api-key]");
    // The local report is redacted too by default (redact.local_pii): CI uploads .evalgate/ as an artifact.
    expect(readReport(project).examples.find((e) => e.id === "account-owner")!.output!.answer).toContain("[redacted:email]");
  });

  describe("with LangSmith down the gate is unchanged and the run stays bounded", () => {
    for (const mode of ["refuse", "hang", "500"] as const) {
      it(`${mode}: same exit code and verdicts, results on disk, within ${DOWN_BOUND_MS} ms of the no-upload run`, async () => {
        const server = await fakeLangSmith(mode);
        const run = await timedCli([], { cwd: project, env: langsmithEnv(server) });
        timings[`LangSmith ${mode}`] = run.ms;
        expect(run.code).toBe(baseline.code);
        const report = readReport(project);
        expect(verdicts(report)).toEqual(verdicts(baselineReport));
        expect(report.langsmith).toMatchObject({ uploaded: false, error: expect.stringContaining(server.url) });
        expect(report.examples.every((e) => e.trace_url === undefined)).toBe(true);
        expect(run.stdout).toContain("LangSmith upload failed");
        expect(run.stdout).toContain("evalgate upload <report.json>");
        expect(run.ms - baseline.ms).toBeLessThan(DOWN_BOUND_MS);
      });
    }

    it("a server that answers /info and then hangs is cut off at langsmith.timeoutMs", async () => {
      // A second config in the same project (same datasets and recordings) with a tight bound.
      const config = readFileSync(join(project, "eval.config.ts"), "utf8").replace("reporters:", "langsmith: { timeoutMs: 1_500 },\n  reporters:");
      writeFileSync(join(project, "eval.tight.config.ts"), config);
      const server = await fakeLangSmith("hang-after-info");
      const run = await timedCli(["--config", "eval.tight.config.ts"], { cwd: project, env: langsmithEnv(server) });
      timings["LangSmith hangs after /info (timeoutMs 1500)"] = run.ms;
      expect(run.code).toBe(baseline.code);
      expect(verdicts(readReport(project))).toEqual(verdicts(baselineReport));
      expect(readReport(project).langsmith?.error).toContain("did not finish within 1500 ms");
      expect(run.ms - baseline.ms).toBeLessThan(1_500 + 3_000);
    });

    it("a server that answers /info and then stalls costs one request timeout, not the 20 s bound (default config)", async () => {
      const server = await fakeLangSmith("hang-after-info");
      const run = await timedCli([], { cwd: project, env: langsmithEnv(server) });
      timings["LangSmith stalls after /info (default bounds)"] = run.ms;
      expect(run.code).toBe(baseline.code);
      expect(verdicts(readReport(project))).toEqual(verdicts(baselineReport));
      expect(readReport(project).langsmith?.error).toMatch(/did not answer .* within 3000 ms \(langsmith\.requestTimeoutMs\)/);
      expect(run.ms - baseline.ms).toBeLessThan(5_000);
    });

    it("Retry-After past the upload bound ends the upload at once with the reason, instead of retrying", async () => {
      const server = await startFakeLangSmith({ mode: "rate-limited", retryAfter: "30" });
      servers.push(server);
      const run = await timedCli([], { cwd: project, env: langsmithEnv(server) });
      timings["LangSmith 429 Retry-After 30"] = run.ms;
      expect(run.code).toBe(baseline.code);
      expect(verdicts(readReport(project))).toEqual(verdicts(baselineReport));
      expect(readReport(project).langsmith?.error).toContain("Retry-After: 30");
      // /info, then the one request that was told to wait: nothing hammers a server that asked for 30 s.
      expect(server.requests.filter((r) => r.path !== "/info").length).toBeLessThanOrEqual(1);
      expect(run.ms - baseline.ms).toBeLessThan(5_000);
    });

    it("a short Retry-After is waited out before the SDK tries again", async () => {
      let refused = 0;
      const server = await startFakeLangSmith({ intercept: (method, path) => (path === "/datasets" && method === "GET" && refused++ === 0 ? { status: 429, headers: { "retry-after": "1" } } : undefined) });
      servers.push(server);
      const seen: number[] = [];
      const originalPush = server.requests.push.bind(server.requests);
      server.requests.push = (...items) => {
        for (const item of items) if (item.path === "/datasets" && item.method === "GET") seen.push(Date.now());
        return originalPush(...items);
      };
      const run = await timedCli([], { cwd: project, env: langsmithEnv(server) });
      expect(run.code).toBe(baseline.code);
      expect(readReport(project).langsmith?.uploaded).toBe(true);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(950);
    });

    it("--require-upload turns a failed upload into exit 1 and names the retry command", async () => {
      const server = await fakeLangSmith("refuse");
      const run = await runCli(["--require-upload"], { cwd: project, env: langsmithEnv(server) });
      expect(run.code).toBe(1);
      expect(verdicts(readReport(project))).toEqual(verdicts(baselineReport));
      expect(run.stderr).toContain("--require-upload");
      expect(run.stderr).toContain("upload .evalgate/report.json");
    });
  });

  describe("evalgate upload <report.json> of a run saved with --no-upload", () => {
    let server: FakeLangSmith;
    let upload: CliResult;
    let saved: Report;
    let requestsDuringRun: number;

    beforeAll(async () => {
      server = await fakeLangSmith();
      const run = await runCli(["--no-upload", "--out-dir", "saved"], { cwd: project, env: langsmithEnv(server) });
      if (run.code !== 0) throw new Error(`the --no-upload run failed:\n${run.stdout}\n${run.stderr}`);
      requestsDuringRun = server.requests.length;
      saved = readReport(project, "saved");
      upload = await runCli(["upload", "saved/report.json"], { cwd: project, env: langsmithEnv(server) });
    });

    it("--no-upload sends nothing even with the key and endpoint set", () => {
      expect(requestsDuringRun).toBe(0);
      expect(saved.langsmith).toBeUndefined();
      expect(saved.examples.every((e) => e.trace_url === undefined)).toBe(true);
    });

    it("sends the same experiment shape as an upload during the run, exit 0", () => {
      expect(upload.stderr).toBe("");
      expect(upload.code).toBe(0);
      expect(uploaded, "needs the upload scenario above").toBeDefined();
      expect(server.sessions.size).toBe(1);
      const later = experimentShape(server, stored(server, "sessions")[0]!);
      const during = experimentShape(uploaded!, stored(uploaded!, "sessions")[0]!);
      expect(later.runStartedAt).toBe(saved.started_at); // the saved run, not a new one
      expect({ ...later, runStartedAt: null }).toEqual({ ...during, runStartedAt: null });
      expect(later.closed).toBe(true);
      expect(upload.stdout).toContain(`LangSmith experiment for qa@v1: http://localhost:3000/o/${server.tenantId}/`);
    });

    // Known gap: the `upload` branch of cli/main.ts uploads and prints the links but never writes
    // the updated report back, so report.json keeps no trace URLs. Drop `.fails` once it does.
    it("writes the experiment and trace URLs back into the report file", () => {
      const after = readReport(project, "saved");
      expect(after.langsmith).toMatchObject({ uploaded: true, experiment_id: [...server.sessions.keys()][0] });
      for (const example of after.examples) expect(example.trace_url).toMatch(/^http:\/\/localhost:3000\/o\/.+\/r\/.+\?poll=true$/);
      expect(verdicts(after)).toEqual(verdicts(saved));
    });
  });

  describe("span contract (expect.spans)", () => {
    it("passes when the run emits agent_run:qa, tool:lookup and chat gpt-4o-mini", () => {
      const counts = baselineReport.examples.find((e) => e.id === "counts-companies")!;
      expect(counts.expect.spans).toEqual(["agent_run:qa", "tool:lookup", "chat gpt-4o-mini"]);
      expect(counts.scores.find((s) => s.name === "spans")).toMatchObject({ pass: true, score: 1 });
      expect(counts.spans.map((s) => s.name)).toEqual(expect.arrayContaining(["agent_run:qa", "tool:lookup", "chat gpt-4o-mini"]));
    });

    it("an agent that stops calling the tool (same prompt, same answer) fails the gate on the missing tool:lookup span", async () => {
      const dir = copyFixture("langsmith");
      copyRecordings(project, dir);
      const agentPath = join(dir, "agents/qa.ts");
      const source = readFileSync(agentPath, "utf8");
      const inlined = source.replace('await ctx.tools.call("lookup", { key: input.lookup })', "`${input.lookup}: 2607 rows`");
      expect(inlined).not.toBe(source);
      writeFileSync(agentPath, inlined);
      const run = await runCli(["--example", "counts-companies"], { cwd: dir });
      expect(run.code).toBe(1);
      const example = readReport(dir).examples[0]!;
      expect(example.verdict).toBe("regression");
      expect(example.error).toBeUndefined(); // the replay still matched: only the contract notices
      expect(example.output?.answer).toBe("There are 2607 companies.");
      const spans = example.scores.find((s) => s.name === "spans")!;
      expect(spans.pass).toBe(false);
      expect(spans.reason).toContain('Missing spans: ["tool:lookup"]');
      expect(example.scores.find((s) => s.name === "must_contain")?.pass).toBe(true);
      expect(run.stdout).toContain('Missing spans: ["tool:lookup"]');
    });
  });

  describe("OTLP export", () => {
    let collector: Server;
    const received: Array<{ method: string; url: string; contentType: string | undefined; body: string }> = [];

    beforeAll(async () => {
      collector = createServer((req, res) => {
        let body = "";
        req.setEncoding("utf8");
        req.on("data", (chunk: string) => (body += chunk));
        req.on("end", () => {
          received.push({ method: req.method ?? "", url: req.url ?? "", contentType: req.headers["content-type"], body });
          res.writeHead(200, { "content-type": "application/json" }).end("{}");
        });
      });
      await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

    it("OTEL_EXPORTER_OTLP_ENDPOINT alone turns it on: the spans are POSTed to /v1/traces and written to otlp-traces.json", async () => {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      const run = await runCli(["--out-dir", "otlp"], { cwd: project, env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } });
      expect(run.code).toBe(0);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ method: "POST", url: "/v1/traces", contentType: "application/json" });
      const report = readReport(project, "otlp");
      const allSpans = report.examples.flatMap((e: ExampleResult) => e.spans);
      const posted = JSON.parse(received[0]!.body) as Json;
      const spans = posted.resourceSpans[0].scopeSpans[0].spans as Json[];
      expect(spans).toHaveLength(allSpans.length);
      expect(spans.map((s) => s.name).sort()).toEqual(allSpans.map((s) => s.name).sort());
      // Nesting survives: the tool and model spans of a trace hang under its agent_run span.
      const root = spans.find((s) => s.name === "agent_run:qa" && spans.some((c) => c.traceId === s.traceId && c.name === "tool:lookup"))!;
      const children = spans.filter((s) => s.traceId === root.traceId && s !== root);
      expect(children.map((s) => s.name).sort()).toEqual(["chat gpt-4o-mini", "tool:lookup"]);
      for (const child of children) expect(child.parentSpanId).toBe(root.spanId);
      expect(run.stdout).toContain(`OTLP: ${allSpans.length} spans sent to ${endpoint}/v1/traces`);

      const file = join(project, "otlp/otlp-traces.json");
      expect(existsSync(file)).toBe(true);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(posted);
      for (const planted of [PLANTED_EMAIL, PLANTED_KEY, PLANTED_OWNER]) expect(received[0]!.body).not.toContain(planted);
    });
  });
});
