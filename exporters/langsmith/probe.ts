import type { ServerInfo } from "./types.ts";

/**
 * One GET /info with a short timeout, before any SDK client exists. The SDK retries every call
 * four times with backoff, so a dead endpoint costs about 20 s per call and 75 s per trace
 * flush; this probe turns that into one quick, explained failure.
 */
export async function probeServer(apiUrl: string, timeoutMs: number, deadline: AbortSignal): Promise<{ ok: true; info: ServerInfo } | { ok: false; error: string }> {
  const url = `${apiUrl.replace(/\/+$/, "")}/info`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), deadline]) });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
    return { ok: false, error: `LangSmith at ${apiUrl} is unreachable (GET /info: ${reason})` };
  }
  const text = await response.text().catch(() => "");
  if (!response.ok) {
    return { ok: false, error: `LangSmith at ${apiUrl} answered GET /info with ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}` };
  }
  try {
    const info = JSON.parse(text) as unknown;
    if (info === null || typeof info !== "object" || Array.isArray(info)) throw new Error("not an object");
    return { ok: true, info: info as ServerInfo };
  } catch {
    return { ok: false, error: `LangSmith at ${apiUrl} answered GET /info with something that is not JSON; is this the API URL (not the web app URL)?` };
  }
}

/** Dataset examples can only be written through the multipart endpoint in SDK 0.12. */
export function multipartExamplesSupported(info: ServerInfo): boolean {
  return info.instance_flags?.dataset_examples_multipart_enabled === true;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? error.message;
}
