import { hash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";

/**
 * Body fields that identify the caller or the account rather than the question, so they must not
 * make a recording stale. Everything else in the body (model, messages, tools, tool_choice,
 * sampling parameters, response_format, stream…) can change the answer and is part of the key.
 * Headers are never part of the key: user-agent and x-stainless-* vary with the Node version.
 */
const NOT_KEYED = new Set(["user", "metadata", "store", "prompt_cache_key", "safety_identifier"]);

export interface CanonicalRequest {
  method: string;
  path: string;
  body: unknown;
}

export function keyedBody(body: unknown): unknown {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !NOT_KEYED.has(k)));
}

export function requestKey(req: CanonicalRequest): string {
  const text = canonicalJson({ method: req.method.toUpperCase(), path: req.path, body: keyedBody(req.body) });
  // The one-shot hash: a Hash object per call cost four times as much, once per LLM call.
  return hash("sha256", text);
}

/** The request path relative to the configured baseURL ("/chat/completions"), query included. */
export function relativePath(url: string, baseURL: string): string {
  const target = new URL(url);
  const basePath = new URL(baseURL).pathname.replace(/\/+$/, "");
  // A client the agent built itself may have another base URL (its own /v1, a proxy prefix): an
  // OpenAI-compatible call is keyed by its endpoint alone, so every client of one example agrees.
  const endpoint = /\/(chat\/completions|completions|responses|embeddings)$/.exec(target.pathname);
  const path = basePath && target.pathname.startsWith(basePath) ? target.pathname.slice(basePath.length) : endpoint ? endpoint[0] : target.pathname;
  return `${path || "/"}${target.search}`;
}

export function parseBody(body: unknown): unknown {
  if (typeof body !== "string") return body ?? null;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
