import { afterEach, describe, expect, it } from "vitest";
import { openGateway } from "../../exporters/langsmith/client.ts";
import { FAKE_SERVER_VERSION, startFakeLangSmith, type FakeLangSmith, type FakeMode } from "./fake-langsmith.ts";

/** The fake is exercised through the real SDK (via the exporter's single SDK adapter) and raw fetch. */

const servers: FakeLangSmith[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

async function fake(mode: FakeMode = "ok", info?: Record<string, unknown>) {
  const server = await startFakeLangSmith({ mode, ...(info && { info }) });
  servers.push(server);
  return server;
}

async function gateway(server: FakeLangSmith) {
  return openGateway({ apiUrl: server.url, apiKey: "lsv2_fake_key_for_tests", requestTimeoutMs: 5_000, deadline: new AbortController().signal, deadlineAt: Date.now() + 60_000 });
}

describe("fake LangSmith, driven by the langsmith SDK", () => {
  it("listens on 127.0.0.1 and answers /info with the version and multipart flag the SDK needs", async () => {
    const server = await fake();
    expect(new URL(server.url).hostname).toBe("127.0.0.1");
    const info = await (await fetch(`${server.url}/info`)).json();
    expect(info).toMatchObject({ version: FAKE_SERVER_VERSION, instance_flags: { dataset_examples_multipart_enabled: true } });
  });

  it("stores datasets, multipart examples (create, read back, update) and lists them", async () => {
    const server = await fake();
    const gw = await gateway(server);
    const first = await gw.findOrCreateDataset("g@v1", { description: "d", metadata: { a: 1 } });
    expect(first.created).toBe(true);
    expect(await gw.findOrCreateDataset("g@v1", { description: "d", metadata: {} })).toEqual({ id: first.id, created: false });
    const id = "0190a3a1-0000-7000-8000-000000000001";
    await gw.createExamples(first.id, [{ id, inputs: { q: "x" }, outputs: { expect: {} }, metadata: { line: 3 } }]);
    expect(server.examples.get(id)).toMatchObject({ dataset_id: first.id, inputs: { q: "x" }, outputs: { expect: {} }, metadata: { line: 3 } });
    // createExamples reads every created example back.
    expect(server.requests.some((r) => r.method === "GET" && r.path === `/examples/${id}`)).toBe(true);
    await gw.updateExamples(first.id, [{ id, inputs: { q: "y" }, outputs: { expect: {} }, metadata: { line: 4 } }]);
    expect(server.examples.get(id)).toMatchObject({ inputs: { q: "y" }, metadata: { line: 4 } });
    expect(await gw.listExamples(first.id)).toEqual([{ id, inputs: { q: "y" }, outputs: { expect: {} }, metadata: { line: 4 } }]);
    const headers = server.requests.find((r) => r.path === "/datasets" && r.method === "POST")!.headers;
    expect(headers["x-api-key"]).toBe("lsv2_fake_key_for_tests");
    gw.dispose();
  });

  it("creates experiments with tenant ids, refuses duplicate names, and keeps fields a PATCH sends as null", async () => {
    const server = await fake();
    const gw = await gateway(server);
    const ds = await gw.findOrCreateDataset("g@v1", { description: "", metadata: {} });
    const exp = await gw.createExperiment({ name: "e1", datasetId: ds.id, description: "desc", metadata: { sha: "abc" } });
    expect(exp.tenantId).toBe(server.tenantId);
    await expect(gw.createExperiment({ name: "e1", datasetId: ds.id, description: "", metadata: {} })).rejects.toThrow(/already exists/);
    await gw.closeExperiment(exp, { description: "desc", metadata: { sha: "abc" }, endTime: new Date("2026-11-21T10:00:01Z") });
    expect(server.sessions.get(exp.id)).toMatchObject({ name: "e1", reference_dataset_id: ds.id, end_time: "2026-11-21T10:00:01.000Z", extra: { metadata: { sha: "abc" } } });
    gw.dispose();
  });

  it("merges multipart run parts by run id and stores feedback parts", async () => {
    const server = await fake();
    const gw = await gateway(server);
    const id = "0190a3a1-0000-7000-8000-0000000000aa";
    await gw.ingest(
      [{ id, trace_id: id, dotted_order: `20261121T100000000000Z${id}`, session_name: "e1", name: "root", run_type: "chain", start_time: "2026-11-21T10:00:00.000000Z", end_time: "2026-11-21T10:00:00.010000Z", inputs: { q: 1 }, outputs: { a: 2 }, extra: { metadata: { m: 3 } } }],
      [{ id: "0190a3a1-0000-7000-8000-0000000000bb", run_id: id, trace_id: id, key: "k", score: 1, session_id: "s", start_time: "2026-11-21T10:00:00.000000Z" }],
    );
    expect(server.runs.get(id)).toMatchObject({ name: "root", inputs: { q: 1 }, outputs: { a: 2 }, extra: { metadata: { m: 3 } }, session_name: "e1" });
    expect(server.feedback.get("0190a3a1-0000-7000-8000-0000000000bb")).toMatchObject({ key: "k", run_id: id, session_id: "s" });
    gw.dispose();
  });
});

describe("fake LangSmith failure modes", () => {
  it('"500" fails every request', async () => {
    const server = await fake("500");
    expect((await fetch(`${server.url}/info`)).status).toBe(500);
  });

  it('"hang" accepts and never answers; "hang-after-info" answers only /info', async () => {
    const hang = await fake("hang");
    await expect(fetch(`${hang.url}/info`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(hang.requests.map((r) => r.path)).toEqual(["/info"]);
    const half = await fake("hang-after-info");
    expect((await fetch(`${half.url}/info`)).status).toBe(200);
    await expect(fetch(`${half.url}/datasets`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
  });

  it('"refuse" points at a port nobody listens on', async () => {
    const server = await fake("refuse");
    await expect(fetch(`${server.url}/info`)).rejects.toThrow();
  });

  it("can serve a deployment without the multipart examples flag", async () => {
    const server = await fake("ok", { version: "0.8.0" });
    expect(await (await fetch(`${server.url}/info`)).json()).toEqual({ version: "0.8.0" });
  });
});
