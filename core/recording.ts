import { z } from "zod";

/**
 * One file per example: `datasets/<graph>/recordings/v<N>/<example-id>.json`.
 * Written by `--record` (atomically, pretty-printed, keys sorted) so that a re-recording
 * reads well in a pull-request diff. Never holds headers, keys or tokens.
 */
export const RECORDING_FORMAT = "evalgate.recording/1";

export const RecordedExchange = z.strictObject({
  /** sha256 of the canonical request (method, path, and the body minus fields that do not change the answer). */
  key: z.string().regex(/^[0-9a-f]{64}$/),
  request: z.strictObject({
    method: z.string(),
    /** Path relative to the endpoint's baseURL, such as /chat/completions. */
    path: z.string(),
    body: z.unknown(),
  }),
  response: z.strictObject({
    status: z.number().int(),
    /** "application/json" or "text/event-stream". */
    content_type: z.string(),
    /** Parsed JSON for JSON responses, the raw text for event streams. */
    body: z.unknown(),
  }),
  /** How long the real endpoint took; replay reports it, marked as recorded. */
  latency_ms: z.number().nonnegative(),
  /** Which trial made the call (0-based; absent = 0), for recordings made with --trials k. */
  trial: z.number().int().nonnegative().optional(),
  /** "judge": an `expect.judge` check's call, replayed to the judge, never to the agent. */
  role: z.literal("judge").optional(),
}).superRefine((exchange, ctx) => {
  // The transport hands an event stream to the SDK as text; any other body there is a corrupt file.
  if (exchange.response.content_type === "text/event-stream" && typeof exchange.response.body !== "string") {
    ctx.addIssue({ code: "custom", path: ["response", "body"], message: "content_type is text/event-stream, so the body must be the raw event text (a string), not parsed JSON" });
  }
});
export type RecordedExchange = z.infer<typeof RecordedExchange>;

export const RecordingFile = z.strictObject({
  format: z.literal(RECORDING_FORMAT),
  graph: z.string(),
  dataset_version: z.number().int(),
  example: z.string(),
  /** Where these came from: the endpoint's host and model, or a note for hand-authored files. */
  source: z.string(),
  recorded_at: z.string().refine((at) => /^\d{4}-\d{2}-\d{2}T/.test(at) && !Number.isNaN(Date.parse(at)), "recorded_at must be an ISO date-time such as 2026-11-21T10:00:00.000Z (replay prices calls at that time)"),
  exchanges: z.array(RecordedExchange),
});
export type RecordingFile = z.infer<typeof RecordingFile>;

export type Mode = "replay" | "record" | "live";
