import { beforeAll, describe, expect, it } from "vitest";
import type { ExampleResult } from "../../core/report.ts";
import { copyFixture, editFile, readReport, runCli } from "../support/cli.ts";
import { TrialOpenAI } from "../support/trial-openai.ts";

const KEY = ["fixture", "agent", "key", "0123456789"].join("-");
const DATASET = "datasets/refund/v1.yaml";

/**
 * The refund-style fixture (test/fixtures/shapes): each tool-argument matcher and each span
 * contract form, passing as written, then failing with its reason after a one-line edit.
 */
describe("tool-argument matchers and the span contract, on a refund-style agent", () => {
  let dir = "";
  beforeAll(async () => {
    const server = new TrialOpenAI();
    const url = await server.start();
    dir = copyFixture("shapes");
    const rec = await runCli(["--record", "--base-url", url], { cwd: dir, env: { FIXTURE_OPENAI_KEY: KEY } });
    await server.stop();
    expect(rec.code, rec.stdout + rec.stderr).toBe(0);
  });

  /** Replays after an edit of the dataset (undone afterwards), returning one example's row. */
  async function replayWith(id: string, from: string, to: string): Promise<{ row: ExampleResult; stdout: string }> {
    editFile(dir, DATASET, (t) => {
      if (!t.includes(from)) throw new Error(`test bug: ${JSON.stringify(from)} is not in the dataset`);
      return t.replace(from, to);
    });
    try {
      const run = await runCli(["-e", id], { cwd: dir });
      return { row: readReport(dir).examples.find((e) => e.id === id)!, stdout: run.stdout };
    } finally {
      editFile(dir, DATASET, (t) => t.replace(to, from));
    }
  }
  const spansReason = (row: ExampleResult) => row.scores.find((s) => s.name === "spans")!.reason;

  it("replays with every form holding: a regex-matched, id-ignoring tool call, the tree, counts, statuses, and attributes the agent set on its tool span", async () => {
    const run = await runCli([], { cwd: dir });
    expect(run.code, run.stdout).toBe(0);
    const late = readReport(dir).examples.find((e) => e.id === "late-delivery")!;
    expect(late.scores.find((s) => s.name === "spans")).toMatchObject({ pass: true, reason: "all 6 span rule(s) hold" });
    const rerank = late.spans.find((s) => s.name === "tool:rerank")!;
    expect(rerank.attributes).toMatchObject({ "rerank.top1_id": "pol_courtesy_v2_draft", "rerank.model": "cohere-rerank-3" });
    const embedding = late.spans.find((s) => s.kind === "embedding")!;
    expect(embedding).toMatchObject({ name: "embeddings text-embedding-3-small", attributes: expect.objectContaining({ "gen_ai.usage.input_tokens": 7, "evalgate.recorded": true }) });
    expect(embedding.attributes["evalgate.cost_usd"]).toBeGreaterThan(0);
    // The embedding is money spent but not a step of the agent loop.
    expect(late.usage.llm_calls).toBe(2);
    expect(late.cost_usd).toBeCloseTo(2 * 0.0000102 + Number(embedding.attributes["evalgate.cost_usd"]), 12);
  });

  it("tree: a span under the wrong parent fails with the actual tree", async () => {
    const { row } = await replayWith("late-delivery", "- agent_run:refund > retrieve > rerank > tool:rerank", "- agent_run:refund > rerank");
    expect(row.verdict).toBe("regression");
    expect(spansReason(row)).toContain('agent_run:refund > rerank: no "rerank" directly under "agent_run:refund" ("rerank" is under ["retrieve"])');
    expect(spansReason(row)).toContain("Actual tree:\nagent_run:refund\n  rewrite\n    chat gpt-4o-mini\n  embeddings text-embedding-3-small\n  retrieve\n    tool:vector_retrieve\n    rerank\n      tool:rerank\n  chat gpt-4o-mini\n  tool:citation_check");
  });

  it("count: the wrong number of a span fails with the number there was", async () => {
    const { row } = await replayWith("late-delivery", "- tool:vector_retrieve × 1", "- tool:vector_retrieve × 2");
    expect(spansReason(row)).toContain('tool:vector_retrieve × 2: "tool:vector_retrieve" × 1, expected exactly 2');
  });

  it("attributes: a value the span does not have fails with the value it has", async () => {
    const { row } = await replayWith("late-delivery", "rerank.top1_id: pol_courtesy_v2_draft, rerank.changed_top1: true", "rerank.top1_id: pol_refund_v7");
    expect(spansReason(row)).toContain('no "tool:rerank" under "rerank" has rerank.top1_id = "pol_refund_v7" (it has {rerank.top1_id: "pol_courtesy_v2_draft"})');
  });

  it("status: a span that errored where ok was expected fails with its error", async () => {
    const { row } = await replayWith("retrieval-failure", "- tool:vector_retrieve: error", "- tool:vector_retrieve: ok");
    expect(spansReason(row)).toContain('tool:vector_retrieve: ok: "tool:vector_retrieve" ended in error (ToolError: vector index policy-v4 is unavailable), expected ok');
  });

  it("regex: an argument that no longer matches is an unexpected call naming the nearest recording and the field", async () => {
    const { row, stdout } = await replayWith("late-delivery", 'regex: { answer: "refund window" }', 'regex: { answer: "30-day" }');
    expect(row.error?.kind).toBe("unexpected_tool_call");
    expect(row.error!.message).toMatch(/the nearest, citation_check\(\{"doc_id":"pol_courtesy_v2_draft","order":"4481"\}\) \[answer ~ \/30-day\/; ignoring request_id\], differs in answer: "Yes: your order is inside the refund window \(request \d+\)\." does not match \/30-day\//);
    expect(stdout).toContain("unexpected_tool_call");
  });

  it("ignore: without it, the generated request id makes the call unmatched, and the miss says which field", async () => {
    const { row } = await replayWith("late-delivery", "ignore: [request_id]", "ignore: []");
    expect(row.error?.kind).toBe("unexpected_tool_call");
    expect(row.error!.message).toMatch(/differs in request_id: "[0-9a-f-]{36}" is not in the recording/);
  });

  it("subset: recorded fields must all be there; the rest may be anything", async () => {
    const loose = await replayWith("late-delivery", "ignore: [request_id]", "args: subset");
    expect(loose.row.verdict).toBe("ok");
    const { row } = await replayWith("late-delivery", 'args: { doc_id: pol_courtesy_v2_draft, order: "4481" }', 'args: { doc_id: pol_courtesy_v2_draft, order: "4481", locale: en-IN }');
    expect(row.error!.message).toContain('locale: missing (recorded "en-IN")');
  });
});
