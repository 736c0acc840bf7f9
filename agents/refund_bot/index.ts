import { defineAgent, ToolError, type AgentContext } from "evalgate";
import { askText, systemAndUser } from "../shared/message-text.ts";
import { readToolJson, ToolResultError } from "../shared/tool-result.ts";
import { GENERATE_SYSTEM, generateUser, noPolicyAnswer, RERANK_MODEL, RETRIEVAL_K, REWRITE_SYSTEM, rewriteUser } from "./prompts.ts";
import { CitationResult, EmbedResult, RerankResult, RetrieveResult, RefundInput, type Citation, type Order, type PolicyDoc } from "./schema.ts";

/**
 * refund_bot: the refund chatbot of the seed's trace 48f. One turn is
 *   rewrite (LLM) → embed → retrieve (vector store, k=3) ⊃ rerank → generate (LLM) → citation check,
 * each a span, and the gate's `expect.judge` grades the answer afterwards. Nothing here filters
 * draft policies: that is the seed's bug, which the late-delivery example keeps on record.
 */
export default defineAgent({
  graph: "refund_bot",
  input: RefundInput,
  maxSteps: 2,
  async run({ message, order }, ctx) {
    const query = await ctx.span("rewrite", "phase", {}, async (span) => {
      const q = searchQuery(await askText(ctx, systemAndUser(REWRITE_SYSTEM, rewriteUser(message))));
      span.set({ "rewrite.query": q });
      return q;
    });

    const retrieval = await retrieve(ctx, query);
    if (retrieval.kind !== "found") {
      return {
        answer: noPolicyAnswer(order, retrieval.kind === "error" ? "unavailable" : "no_match"),
        data: { top1_id: null, doc_ids: [], citation: null, ...(retrieval.kind === "error" ? { retrieval_error: retrieval.error } : {}) },
      };
    }
    const { docs, top1 } = retrieval;

    const answer = await ctx.span("generate", "phase", { "generate.policy_id": top1.id }, () => askText(ctx, systemAndUser(GENERATE_SYSTEM, generateUser(message, order, top1))));

    const citation = await citationCheck(ctx, top1.id, order);
    return { answer, data: { top1_id: top1.id, doc_ids: docs.map((d) => d.id), citation } };
  },
});

export type Retrieval =
  | { kind: "found"; docs: PolicyDoc[]; top1: PolicyDoc }
  | { kind: "empty" }
  | { kind: "error"; error: string };

/** The rewrite model's reply as a one-line query: first non-empty line, without quotes around it. */
export function searchQuery(reply: string): string {
  const line = reply.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
  return line.replace(/^["'`]+|["'`]+$/g, "").trim();
}

/** embed → retrieve ⊃ rerank. A tool that fails (the index is down) is an answer, not a crash. */
async function retrieve(ctx: AgentContext, query: string): Promise<Retrieval> {
  try {
    const { result, span } = await ctx.tools.invoke("embed_query", { query });
    const embedded = readToolJson("embed_query", result, EmbedResult);
    span.set({ "gen_ai.request.model": embedded.model, "vector.dim": embedded.dim });
  } catch (error) {
    if (error instanceof ToolError) return { kind: "error", error: error.message };
    throw error;
  }

  return ctx.span("retrieve", "phase", { "retrieval.k": RETRIEVAL_K }, async (span): Promise<Retrieval> => {
    let docs: PolicyDoc[];
    try {
      docs = readToolJson("vector_retrieve", await ctx.tools.call("vector_retrieve", { query, k: RETRIEVAL_K }), RetrieveResult);
    } catch (error) {
      if (error instanceof ToolError) {
        span.set({ "retrieval.error": error.message });
        return { kind: "error", error: error.message };
      }
      throw error;
    }
    span.set({ "retrieval.doc_ids": docs.map((d) => d.id), "retrieval.scores": docs.map((d) => d.score) });
    if (docs.length === 0) return { kind: "empty" };

    const top1 = await ctx.span("rerank", "phase", { "rerank.model": RERANK_MODEL }, async (rerank) => {
      const doc_ids = docs.map((d) => d.id);
      const { top1: id, score } = readToolJson("rerank", await ctx.tools.call("rerank", { query, doc_ids }), RerankResult);
      const doc = docs.find((d) => d.id === id);
      if (!doc) throw new ToolResultError(`rerank returned ${JSON.stringify(id)}, which is not one of the retrieved ${JSON.stringify(doc_ids)}`);
      rerank.set({ "rerank.top1_id": id, "rerank.changed_top1": id !== doc_ids[0], ...(score === undefined ? {} : { "rerank.top1_score": score }) });
      return doc;
    });
    return { kind: "found", docs, top1 };
  });
}

/**
 * The citation checker re-reads the answer against the cited policy on the service side; the call
 * names the policy and the order (stable arguments a recording can match), not the answer text.
 */
async function citationCheck(ctx: AgentContext, docId: string, order: Order): Promise<Citation> {
  const { result, span } = await ctx.tools.invoke("citation_check", { doc_id: docId, order_id: order.id });
  const citation = readToolJson("citation_check", result, CitationResult);
  span.set({
    "citation.claims_extracted": citation.supported.length + citation.unsupported.length,
    "citation.claims_supported": citation.supported.length,
    "citation.unsupported": citation.unsupported,
  });
  return { supported: citation.supported, unsupported: citation.unsupported };
}
