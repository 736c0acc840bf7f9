import { z } from "zod";

/**
 * One example run produces one trace: a tree of spans captured locally whatever the mode.
 * Attribute names follow the OpenTelemetry GenAI conventions where one exists
 * (gen_ai.request.model, gen_ai.usage.input_tokens, …); evalgate.* names the rest.
 */

export const SpanKind = z.enum(["agent", "llm", "embedding", "tool", "phase", "worker", "chain", "judge"]);
export type SpanKind = z.infer<typeof SpanKind>;

/** JSON-serialisable values; exporters flatten them to their own attribute types. */
export type Attributes = Record<string, unknown>;

export const Span = z.object({
  id: z.string(),
  parent_id: z.string().nullable(),
  name: z.string(),
  kind: SpanKind,
  /** Milliseconds since the example started (wall clock of this run). */
  start_ms: z.number(),
  /** Wall-clock duration in this run. For replayed LLM calls see evalgate.latency_ms (recorded). */
  duration_ms: z.number(),
  status: z.enum(["ok", "error"]),
  error: z.string().optional(),
  attributes: z.record(z.string(), z.unknown()),
});
export type Span = z.infer<typeof Span>;

/** Attribute keys written by the runner; agents may add their own. */
export const ATTR = {
  model: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  system: "gen_ai.system",
  operation: "gen_ai.operation.name",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  totalTokens: "evalgate.usage.total_tokens",
  costUsd: "evalgate.cost_usd",
  latencyMs: "evalgate.latency_ms",
  /** true when latency/usage were replayed from a recording rather than measured now. */
  recorded: "evalgate.recorded",
  recordingKey: "evalgate.recording.key",
  /** The key of the request the agent actually sent (set on every LLM span, a replay miss included). */
  requestKey: "evalgate.request.key",
  prompt: "gen_ai.prompt",
  completion: "gen_ai.completion",
  finishReason: "gen_ai.response.finish_reasons",
  toolName: "gen_ai.tool.name",
  toolArgs: "evalgate.tool.args",
  toolResult: "evalgate.tool.result",
  toolAttempt: "evalgate.tool.attempt",
  answer: "evalgate.answer",
  steps: "evalgate.steps",
} as const;
