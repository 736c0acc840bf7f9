import type { z } from "zod";

/** A tool answered, but not with what the agent can use: one step's problem, never the run's. */
export class ToolResultError extends Error {
  override readonly name = "ToolResultError";
}

/** A tool's JSON result checked against `schema`; throws `ToolResultError` saying what was wrong. */
export function readToolJson<S extends z.ZodType>(tool: string, text: string, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ToolResultError(`${tool} returned non-JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ToolResultError(`${tool} returned an unexpected shape: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}
