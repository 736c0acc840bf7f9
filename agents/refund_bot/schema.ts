import { z } from "zod";

/**
 * The refund_bot's input and the shapes of its tools' JSON results. The tools are the refund
 * service's own (embedding, vector store, reranker, citation checker); in an eval their outputs
 * come from the example's recorded `tools:`, checked here so a malformed recording fails loudly.
 */

/** The order the chat is about, as the chat front end passes it from the customer's session. */
export const Order = z.strictObject({
  id: z.string().regex(/^\d+$/, "an order number"),
  /** The amount paid, with its currency sign, as shown to the customer ("₹1,250"). */
  total: z.string().min(1),
  /** Delivery status in words ("delivered 14 days after the promised date"). */
  delivery: z.string().min(1),
});
export type Order = z.infer<typeof Order>;

export const RefundInput = z.strictObject({
  message: z.string().trim().min(1, "message must not be empty"),
  order: Order,
});
export type RefundInput = z.infer<typeof RefundInput>;

/** embed_query: a summary of the query vector (the vector itself stays in the service). */
export const EmbedResult = z.object({ model: z.string(), dim: z.number().int().positive() });

export const PolicyDoc = z.object({ id: z.string().min(1), score: z.number(), text: z.string() });
export type PolicyDoc = z.infer<typeof PolicyDoc>;

/** vector_retrieve: the k nearest policy snippets, best first (possibly none). */
export const RetrieveResult = z.array(PolicyDoc);

/** rerank: the id the cross-encoder puts first, and its score. */
export const RerankResult = z.object({ top1: z.string().min(1), score: z.number().optional() });

/** citation_check: the answer's claims, split by whether the cited policy supports them. */
export const CitationResult = z.object({
  supported: z.array(z.string()),
  unsupported: z.array(z.string()),
});
export type Citation = z.infer<typeof CitationResult>;
