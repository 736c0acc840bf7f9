import { afterEach, describe, expect, it, vi } from "vitest";
import type { Report } from "../../core/report.ts";
import { startFakeLangSmith, type FakeLangSmith, type FakeLangSmithOptions } from "../../test/support/fake-langsmith.ts";
import { uuidv5 } from "../ids.ts";
import { PLANTED_EMAIL, PLANTED_KEY, sampleReport } from "../testing/sample-report.ts";
import { uploadReport } from "./upload.ts";
import type { UploadOptions } from "./types.ts";

const servers: FakeLangSmith[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  while (servers.length) await servers.pop()!.close();
});

async function fake(options: FakeLangSmithOptions = {}) {
  const server = await startFakeLangSmith(options);
  servers.push(server);
  return server;
}

function upload(server: FakeLangSmith, report: Report = sampleReport(), overrides: Partial<UploadOptions> = {}) {
  const lines: string[] = [];
  const result = uploadReport(report, {
    apiUrl: server.url,
    apiKey: "lsv2_pt_fake0001",
    experimentPrefix: "ci",
    redact: [],
    timeoutMs: 10_000,
    log: (line) => lines.push(line),
    ...overrides,
  });
  return result.then((r) => ({ ...r, lines }));
}

const values = <T>(m: Map<string, T>) => [...m.values()];
const ADMIN_ID = uuidv5("admin_chat@v2/count-companies");

describe("uploadReport against the fake LangSmith (real SDK)", () => {
  it("creates datasets, stable examples, one closed experiment per dataset, nested runs and feedback", async () => {
    const server = await fake();
    const result = await upload(server);
    expect(result.error).toBeUndefined();
    expect(result.uploaded).toBe(true);

    // Datasets: one per (graph, version), named <graph>@v<version>.
    const datasets = values(server.datasets);
    expect(datasets.map((d) => d.name).sort()).toEqual(["admin_chat@v2", "pipeline@v1"]);
    const admin = datasets.find((d) => d.name === "admin_chat@v2")!;
    expect(admin).toMatchObject({ description: "read-only database Q&A", extra: { metadata: { source: "evalgate", graph: "admin_chat", version: 2 } } });

    // Examples: stable uuid v5 ids, input, expect + expected pass flag, file/line/tags.
    expect(server.examples.size).toBe(3);
    expect(server.examples.get(ADMIN_ID)).toMatchObject({
      dataset_id: admin.id,
      inputs: { question: "how many companies? reply to [redacted:email]", api_key: "[redacted:api-key]" },
      outputs: { expect: { must_contain: ["2607"], max_steps: 4 }, expected_pass: true },
      metadata: { evalgate_id: "count-companies", file: "datasets/admin_chat/v2.yaml", line: 7, tags: ["smoke", "sql"] },
    });

    // Experiments: linked to their dataset, named and described, metadata from report.run, closed.
    const sessions = values(server.sessions);
    expect(sessions).toHaveLength(2);
    const experiment = sessions.find((s) => s.reference_dataset_id === admin.id)!;
    expect(experiment.name).toMatch(/^ci-admin_chat@v2-0123456-[0-9a-f]{6}$/);
    expect(experiment.extra).toMatchObject({
      metadata: { git_sha: "0123456789abcdef0123456789abcdef01234567", git_branch: "feature/x", mode: "replay", evalgate_version: "0.1.0", prompt_hash: "a".repeat(64) },
    });
    for (const s of sessions) expect(Date.parse(String(s.end_time))).not.toBeNaN();

    // Runs: one tree per example, rooted on the example, nested as the spans are.
    const runs = values(server.runs);
    expect(runs).toHaveLength(5 + 2 + 4);
    const roots = runs.filter((r) => r.parent_run_id === undefined);
    expect(roots.map((r) => r.reference_example_id).sort()).toEqual([...server.examples.keys()].sort());
    const root = roots.find((r) => r.reference_example_id === ADMIN_ID)!;
    expect(root).toMatchObject({ name: "agent_run:admin_chat", run_type: "chain", session_name: experiment.name, trace_id: root.id, inputs: { question: "how many companies? reply to [redacted:email]" } });
    const children = runs.filter((r) => r.parent_run_id === root.id);
    expect(children.map((r) => [r.name, r.run_type])).toEqual([
      ["ChatOpenAI", "llm"],
      ["tool:count_rows", "tool"],
      ["tool:query_db", "tool"],
      ["ChatOpenAI", "llm"],
    ]);
    for (const child of children) {
      expect(child.trace_id).toBe(root.id);
      expect(String(child.dotted_order).startsWith(`${root.dotted_order}.`)).toBe(true);
    }
    expect(children[0]).toMatchObject({ inputs: { messages: [{ role: "user" }] }, outputs: { usage_metadata: { input_tokens: 150, output_tokens: 20, total_tokens: 170 } }, start_time: "2026-11-21T10:00:00.001250Z", end_time: "2026-11-21T10:00:00.011750Z" });
    expect(children[1]).toMatchObject({ inputs: { table: "companies" }, outputs: { output: "2607 (owner [redacted:email])" } });
    expect(children[2]!.error).toBe("ToolError: syntax error at or near SELEC");
    // The pipeline example has two top-level spans: a synthetic root holds them.
    const pipelineRoot = roots.find((r) => r.name === "enrich-two")!;
    expect(runs.filter((r) => r.parent_run_id === pipelineRoot.id).map((r) => r.name)).toEqual(["phase:discover", "phase:enrich"]);
    expect(pipelineRoot.error).toBe("UnexpectedToolCall: tool lookup was not recorded for [redacted:email]");

    // Feedback: every score, the verdict and pass, on the root run, in the experiment.
    const feedback = values(server.feedback).filter((f) => f.run_id === root.id);
    expect(feedback.map((f) => [f.key, f.score]).sort()).toEqual([["must_contain", 1], ["pass", 1], ["trajectory", 0.6667], ["verdict", 1]]);
    for (const f of feedback) expect(f).toMatchObject({ trace_id: root.id, session_id: experiment.id });
    expect(values(server.feedback).find((f) => f.key === "verdict" && f.value === "regression")).toMatchObject({ score: 0 });
    expect(server.feedback.size).toBe(4 + 3 + 2);

    // Links back, in the web app's URL scheme (loopback API → localhost:3000).
    expect(result.experiments.map((e) => e.dataset)).toEqual(["admin_chat@v2", "pipeline@v1"]);
    expect(result.experiment_id).toBe(experiment.id);
    expect(result.experiment_url).toBe(`http://localhost:3000/o/${server.tenantId}/datasets/${admin.id}/compare?selectedSessions=${experiment.id}`);
    expect(result.trace_urls["admin_chat@v2/count-companies"]).toBe(`http://localhost:3000/o/${server.tenantId}/projects/p/${experiment.id}/r/${root.id}?poll=true`);
    expect(Object.keys(result.trace_urls).sort()).toEqual(["admin_chat@v2/count-companies", "admin_chat@v2/top-industries", "pipeline@v1/enrich-two"]);
    expect(result.lines.join("\n")).toContain("dataset admin_chat@v2 created; examples: 2 added, 0 updated, 0 unchanged");
  });

  it("re-uploads into the same datasets and example ids, updating only what changed", async () => {
    const server = await fake();
    expect((await upload(server)).uploaded).toBe(true);
    const datasetIds = [...server.datasets.keys()].sort();
    const firstRequests = server.requests.length;

    const second = await upload(server);
    expect(second.uploaded).toBe(true);
    expect([...server.datasets.keys()].sort()).toEqual(datasetIds);
    expect(server.examples.size).toBe(3);
    const later = server.requests.slice(firstRequests);
    expect(later.filter((r) => r.path.includes("/examples") && r.method !== "GET")).toEqual([]);
    expect(server.sessions.size).toBe(4); // a new experiment per run
    expect(second.lines.join("\n")).toContain("examples: 0 added, 0 updated, 2 unchanged");

    const edited = sampleReport();
    edited.examples[0]!.input = { question: "how many companies are there?" };
    const beforeThird = server.requests.length;
    expect((await upload(server, edited)).uploaded).toBe(true);
    const patches = server.requests.slice(beforeThird).filter((r) => r.method === "PATCH" && r.path.endsWith("/examples"));
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toContain(ADMIN_ID);
    expect(server.examples.size).toBe(3);
    expect(server.examples.get(ADMIN_ID)!.inputs).toEqual({ question: "how many companies are there?" });
  });

  it("redacts before anything leaves: no planted e-mail, phone or key in any request", async () => {
    const server = await fake();
    const report = sampleReport();
    report.examples[0]!.spans[0]!.attributes["note"] = `escalate to ${PLANTED_EMAIL} with Bearer ${PLANTED_KEY}`;
    const result = await upload(server, report, { redact: ["SELEC\\b"] });
    expect(result.uploaded).toBe(true);
    const everything = server.requests.map((r) => `${r.path}?${JSON.stringify(r.query)}\n${r.body}`).join("\n");
    expect(everything).toContain("[redacted:email]"); // the bodies searched are the real payloads
    for (const secret of [PLANTED_EMAIL, PLANTED_KEY, "555-0123", "SELEC 1"]) expect(everything).not.toContain(secret);
    expect(result.lines.join("\n")).not.toContain("lsv2_pt_fake0001");
  });

  it("ignores LangSmith environment variables: endpoint, workspace, hiding, runtime metadata", async () => {
    const server = await fake();
    vi.stubEnv("LANGSMITH_ENDPOINT", "http://127.0.0.1:9/never");
    vi.stubEnv("LANGSMITH_WORKSPACE_ID", "ws-from-env");
    vi.stubEnv("LANGSMITH_HIDE_INPUTS", "true");
    vi.stubEnv("LANGSMITH_TRACING", "true");
    vi.stubEnv("LANGSMITH_CONFIG_FILE", "/nonexistent/langsmith.json");
    const result = await upload(server);
    expect(result.uploaded).toBe(true);
    for (const r of server.requests) expect(r.headers["x-tenant-id"]).toBeUndefined();
    expect(values(server.runs).find((r) => r.reference_example_id === ADMIN_ID)!.inputs).toMatchObject({ api_key: "[redacted:api-key]" });
    expect(server.requests.map((r) => r.body).join("\n")).not.toContain("LANGSMITH_TRACING");
  });
});

describe("uploadReport fails open", () => {
  const TIMEOUT_MS = 4_000;

  it.each(["refuse", "hang", "500", "hang-after-info"] as const)("%s: uploaded false with a reason, within timeoutMs + 3 s, never throws", async (mode) => {
    const server = await fake({ mode });
    const started = Date.now();
    const result = await upload(server, sampleReport(), { timeoutMs: TIMEOUT_MS });
    const elapsed = Date.now() - started;
    expect(result.uploaded).toBe(false);
    expect(result.error).toMatch(mode === "hang-after-info" ? /did not answer GET \/datasets within 3000 ms \(langsmith\.requestTimeoutMs\)/ : mode === "500" ? /answered GET \/info with 500/ : /unreachable/);
    expect(result.error).toContain("evalgate upload");
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 3_000);
    expect(result.trace_urls).toEqual({});
  });

  it("reports trace batches the server refused (the SDK itself only logs them), and still closes the experiment", async () => {
    const server = await fake({ intercept: (method, path) => (method === "POST" && path === "/runs/multipart" ? 400 : undefined) });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const result = await upload(server);
    warn.mockRestore();
    expect(result.uploaded).toBe(false);
    expect(result.error).toMatch(/did not accept .* runs .*answered 400/);
    expect(result.experiments).toHaveLength(2);
    expect(result.trace_urls).toEqual({});
    for (const s of values(server.sessions)) expect(s.end_time).not.toBeNull();
  });

  it("falls back to /runs/batch and /feedback when /runs/multipart does not exist", async () => {
    const server = await fake({ intercept: (method, path) => (method === "POST" && path === "/runs/multipart" ? 404 : undefined) });
    const result = await upload(server);
    expect(result.error).toBeUndefined();
    expect(result.uploaded).toBe(true);
    expect(server.runs.size).toBe(11);
    expect(server.feedback.size).toBe(9);
    expect(server.requests.filter((r) => r.path === "/runs/batch").length).toBeGreaterThan(0);
    expect(values(server.feedback).every((f) => typeof f.session_id === "string")).toBe(true);
  });

  it("stops before writing anything when /info lacks the multipart examples flag", async () => {
    const server = await fake({ info: { version: "0.8.0" } });
    const result = await upload(server);
    expect(result.uploaded).toBe(false);
    expect(result.error).toContain("dataset_examples_multipart_enabled");
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /info"]);
  });

  it("rejects a bad redaction pattern without sending anything", async () => {
    const server = await fake();
    const result = await upload(server, sampleReport(), { redact: ["(unclosed"] });
    expect(result).toMatchObject({ uploaded: false, trace_urls: {} });
    expect(result.error).toContain("langsmith.redact[0]");
    expect(server.requests).toEqual([]);
  });

  it("survives a logger that throws", async () => {
    const server = await fake();
    const result = await upload(server, sampleReport(), { log: () => { throw new Error("broken pipe"); } });
    expect(result.uploaded).toBe(true);
  });
});
