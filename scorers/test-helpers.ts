import type { AgentOutput } from "../core/agent.ts";
import { Example } from "../core/dataset.ts";
import type { Span } from "../core/trace.ts";
import type { ScorerInput } from "./types.ts";

/** Builds a scorer input through the real dataset schema, so defaults match what the runner sees. */
export function input(expect: Record<string, unknown>, answer: string | null, spans: Span[] = []): ScorerInput {
  const example = Example.parse({ id: "ex-1", input: {}, expect, pass: true });
  const output: AgentOutput | null = answer === null ? null : { answer };
  return { output, spans, example };
}

let nextId = 0;
export function span(name: string, kind: Span["kind"], attributes: Record<string, unknown> = {}): Span {
  nextId++;
  return { id: `s${nextId}`, parent_id: null, name, kind, start_ms: nextId, duration_ms: 1, status: "ok", attributes };
}

/** Replaces parts of `expect` without schema validation, to exercise defensive paths. */
export function withRawExpect(base: ScorerInput, patch: Record<string, unknown>): ScorerInput {
  return { ...base, example: { ...base.example, expect: { ...base.example.expect, ...patch } } };
}
