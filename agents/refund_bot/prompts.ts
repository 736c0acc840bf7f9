/**
 * Prompts and fixed texts of the refund_bot graph (the seed's refund chatbot, trace 48f). Their
 * text is part of every recording key, so an edit here makes the recordings stale on purpose:
 * `pnpm eval --record --replies --stale --graph refund_bot` re-records.
 */

import type { Order, PolicyDoc } from "./schema.ts";

/** Candidates asked of the vector store (the seed's retrieval.k). */
export const RETRIEVAL_K = 3;

/** The reranker the seed's trace names; recorded on the rerank span. */
export const RERANK_MODEL = "cohere-rerank-3";

export const REWRITE_SYSTEM = `You turn a customer's chat message to the refund desk into one search query for the refund-policy index.
Keep the order number and the facts that decide which policy applies (late delivery, damage, return window, gift card).
Reply with the query only: one line, lowercase, no quotes, no punctuation at the end.`;

export function rewriteUser(message: string): string {
  return `Customer message: ${message}`;
}

export const GENERATE_SYSTEM = `You are the refund assistant of an online shop. Answer the customer in two or three sentences.
Use only the POLICY below and the ORDER facts: state whether a refund applies and its amount, and name the policy you relied on.
Do not invent windows, fees or clauses the policy does not state.`;

export function generateUser(message: string, order: Order, policy: PolicyDoc): string {
  return [
    `POLICY ${policy.id}:\n${policy.text}`,
    `ORDER ${order.id}: total ${order.total}; ${order.delivery}`,
    `Customer message: ${message}`,
  ].join("\n\n");
}

/** What the bot says when the policy index cannot be searched or finds nothing: no policy, no promise. */
export function noPolicyAnswer(order: Order, reason: "unavailable" | "no_match"): string {
  const why = reason === "unavailable" ? "the policy search is unavailable right now" : "no refund policy matches your question";
  return `I could not find the refund policy that applies to order ${order.id} (${why}), so I cannot confirm a refund yet. A support agent will follow up with you.`;
}
