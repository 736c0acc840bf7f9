import { describe, expect, it } from "vitest";
import { fakeContext, type RecordedCall } from "../shared/testing/fake-context.ts";
import { ToolResultError } from "../shared/tool-result.ts";
import agent, { searchQuery } from "./index.ts";
import { GENERATE_SYSTEM, REWRITE_SYSTEM } from "./prompts.ts";

const QUERY = "refund window late delivery courtesy clause order 4481";
const DOCS = [
  { id: "pol_courtesy_v2_draft", score: 0.871, text: "DRAFT v2, not approved. Courtesy clause: a courtesy refund of the amount paid. Refund window: TBD." },
  { id: "pol_refund_v7", score: 0.842, text: "Refund policy v7. Returns within 30 days of delivery for a full refund." },
  { id: "pol_late_delivery_v3", score: 0.811, text: "Late delivery policy v3. More than 7 days late: full refund without return." },
];
const DOC_IDS = DOCS.map((d) => d.id);
const INPUT = {
  message: "i want refund for order 4481, it was late by 2 weeks",
  order: { id: "4481", total: "₹1,250", delivery: "delivered 14 days after the promised date" },
};
const SEED_ANSWER = "You are eligible for a refund of ₹1,250 on order 4481. Our refund window is 14 days from delivery; since your delivery was late, this is processed under the courtesy clause.";

/** The seed's trace 48f as recorded tool calls, with the retrieval step replaced when given. */
function seedTools(retrieval: Partial<RecordedCall> = {}, rerankTop1 = "pol_courtesy_v2_draft"): RecordedCall[] {
  return [
    { tool: "embed_query", args: { query: QUERY }, result: '{"model": "text-embedding-3-small", "dim": 1536}' },
    { tool: "vector_retrieve", args: { query: QUERY, k: 3 }, result: JSON.stringify(DOCS), ...retrieval },
    { tool: "rerank", args: { query: QUERY, doc_ids: DOC_IDS }, result: JSON.stringify({ top1: rerankTop1, score: 0.94 }) },
    { tool: "citation_check", args: { doc_id: "pol_courtesy_v2_draft", order_id: "4481" }, result: '{"supported": ["refund of ₹1,250 on order 4481"], "unsupported": ["14-day refund window"]}' },
  ];
}

describe("refund_bot agent", () => {
  it("runs the seed's trace 48f: rewrite, embed, retrieve ⊃ rerank, generate from the top-1 policy, citation check", async () => {
    const h = fakeContext({ replies: [QUERY, SEED_ANSWER], tools: seedTools() });
    const out = await agent.run(INPUT, h.ctx);

    expect(out.answer).toBe(SEED_ANSWER);
    expect(out.data).toEqual({
      top1_id: "pol_courtesy_v2_draft",
      doc_ids: DOC_IDS,
      citation: { supported: ["refund of ₹1,250 on order 4481"], unsupported: ["14-day refund window"] },
    });
    // The tool arguments are the stable ones a dataset records: the query, k, the ids; never the answer.
    expect(h.toolCalls).toEqual([
      { tool: "embed_query", args: { query: QUERY } },
      { tool: "vector_retrieve", args: { query: QUERY, k: 3 } },
      { tool: "rerank", args: { query: QUERY, doc_ids: DOC_IDS } },
      { tool: "citation_check", args: { doc_id: "pol_courtesy_v2_draft", order_id: "4481" } },
    ]);
    expect(h.unusedReplies()).toEqual([]);

    // Two model calls: the rewrite sees the message, the generation sees the top-1 policy's text.
    expect(h.prompts).toHaveLength(2);
    expect(h.prompts[0]).toEqual([REWRITE_SYSTEM, `Customer message: ${INPUT.message}`]);
    expect(h.prompts[1]![0]).toBe(GENERATE_SYSTEM);
    expect(h.prompts[1]![1]).toContain(`POLICY pol_courtesy_v2_draft:\n${DOCS[0]!.text}`);
    expect(h.prompts[1]![1]).toContain("ORDER 4481: total ₹1,250; delivered 14 days after the promised date");
    expect(h.prompts[1]![1]).not.toContain("pol_refund_v7");

    // Every step is a span, rerank opened inside retrieve, with what each step learnt on it.
    expect(h.spans.map((s) => s.name)).toEqual(["rewrite", "tool:embed_query", "retrieve", "rerank", "generate", "tool:citation_check"]);
    const span = (name: string) => h.spans.find((s) => s.name === name)!.attributes;
    expect(span("rewrite")).toEqual({ "rewrite.query": QUERY });
    expect(span("tool:embed_query")).toMatchObject({ "vector.dim": 1536 });
    expect(span("retrieve")).toEqual({ "retrieval.k": 3, "retrieval.doc_ids": DOC_IDS, "retrieval.scores": [0.871, 0.842, 0.811] });
    expect(span("rerank")).toEqual({ "rerank.model": "cohere-rerank-3", "rerank.top1_id": "pol_courtesy_v2_draft", "rerank.top1_score": 0.94, "rerank.changed_top1": false });
    expect(span("generate")).toEqual({ "generate.policy_id": "pol_courtesy_v2_draft" });
    expect(span("tool:citation_check")).toEqual({ "citation.claims_extracted": 2, "citation.claims_supported": 1, "citation.unsupported": ["14-day refund window"] });
    expect(h.spans.every((s) => s.status === "ok")).toBe(true);
  });

  it("marks a rerank that changes the vector store's top-1 and answers from the reranked policy", async () => {
    const tools = seedTools({}, "pol_late_delivery_v3").map((c) => c.tool === "citation_check" ? { ...c, args: { doc_id: "pol_late_delivery_v3", order_id: "4481" }, result: '{"supported": ["full refund"], "unsupported": []}' } : c);
    const h = fakeContext({ replies: [QUERY, "You qualify for a full refund of ₹1,250 (pol_late_delivery_v3)."], tools });
    const out = await agent.run(INPUT, h.ctx);

    expect(out.data).toMatchObject({ top1_id: "pol_late_delivery_v3", citation: { unsupported: [] } });
    expect(h.spans.find((s) => s.name === "rerank")!.attributes).toMatchObject({ "rerank.top1_id": "pol_late_delivery_v3", "rerank.changed_top1": true });
    expect(h.prompts[1]![1]).toContain("POLICY pol_late_delivery_v3:");
  });

  it("says it could not find the policy when the vector index fails, and stops there", async () => {
    const h = fakeContext({ replies: [QUERY], tools: seedTools({ result: undefined, error: "vector index policy-v4 is unavailable" }) });
    const out = await agent.run(INPUT, h.ctx);

    expect(out.answer).toContain("could not find the refund policy that applies to order 4481");
    expect(out.answer).toContain("unavailable");
    expect(out.data).toEqual({ top1_id: null, doc_ids: [], citation: null, retrieval_error: "vector index policy-v4 is unavailable" });
    expect(h.toolCalls.map((c) => c.tool)).toEqual(["embed_query", "vector_retrieve"]);
    expect(h.prompts).toHaveLength(1);
    expect(h.spans.map((s) => s.name)).toEqual(["rewrite", "tool:embed_query", "retrieve"]);
    expect(h.spans.find((s) => s.name === "retrieve")!.attributes).toMatchObject({ "retrieval.error": "vector index policy-v4 is unavailable" });
  });

  it("treats a failed embedding like an unavailable index", async () => {
    const h = fakeContext({ replies: [QUERY], tools: [{ tool: "embed_query", args: { query: QUERY }, error: "embedding service timed out" }] });
    const out = await agent.run(INPUT, h.ctx);

    expect(out.answer).toContain("the policy search is unavailable");
    expect(out.data).toMatchObject({ top1_id: null, retrieval_error: "embedding service timed out" });
    expect(h.toolCalls.map((c) => c.tool)).toEqual(["embed_query"]);
    expect(h.spans.find((s) => s.name === "tool:embed_query")!.status).toBe("error");
  });

  it("says no policy matches when retrieval finds nothing, without reranking or generating", async () => {
    const h = fakeContext({ replies: [QUERY], tools: seedTools({ result: "[]" }) });
    const out = await agent.run(INPUT, h.ctx);

    expect(out.answer).toContain("no refund policy matches your question");
    expect(out.data).toEqual({ top1_id: null, doc_ids: [], citation: null });
    expect(h.toolCalls.map((c) => c.tool)).toEqual(["embed_query", "vector_retrieve"]);
    expect(h.spans.find((s) => s.name === "retrieve")!.attributes).toMatchObject({ "retrieval.doc_ids": [] });
  });

  it("refuses a rerank top-1 that retrieval never returned", async () => {
    const h = fakeContext({ replies: [QUERY], tools: seedTools({}, "pol_unknown") });
    await expect(agent.run(INPUT, h.ctx)).rejects.toThrow(ToolResultError);
    expect(h.spans.find((s) => s.name === "rerank")!.status).toBe("error");
    expect(h.toolCalls.map((c) => c.tool)).not.toContain("citation_check");
  });

  it("rejects an input without an order or with an empty message", () => {
    expect(agent.input.safeParse(INPUT).success).toBe(true);
    expect(agent.input.safeParse({ message: "refund please" }).success).toBe(false);
    expect(agent.input.safeParse({ ...INPUT, message: "  " }).success).toBe(false);
    expect(agent.input.safeParse({ ...INPUT, order: { ...INPUT.order, id: "#4481" } }).success).toBe(false);
  });
});

describe("searchQuery", () => {
  it("keeps the first non-empty line of the rewrite, without quotes around it", () => {
    expect(searchQuery(QUERY)).toBe(QUERY);
    expect(searchQuery('\n  "late delivery refund order 6020"  \nbecause the user said so')).toBe("late delivery refund order 6020");
    expect(searchQuery("`customs duty refund`")).toBe("customs duty refund");
    expect(searchQuery("")).toBe("");
  });
});
