/** What a span needs from an OpenAI-compatible response, JSON or event stream alike. */
export interface ResponseSummary {
  model: string | null;
  completion: string;
  finishReasons: string[];
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
}

export function summarizeResponse(contentType: string, body: unknown): ResponseSummary {
  if (contentType.includes("text/event-stream") && typeof body === "string") return summarizeStream(body);
  const obj = (body ?? {}) as Record<string, any>;
  const choices: any[] = Array.isArray(obj.choices) ? obj.choices : [];
  // /responses (Responses API) keeps text under output[].content[].text
  const responsesText = Array.isArray(obj.output)
    ? obj.output.flatMap((o: any) => (Array.isArray(o?.content) ? o.content : [])).map((c: any) => c?.text ?? "").join("")
    : "";
  return {
    model: typeof obj.model === "string" ? obj.model : null,
    completion: choices.map((c) => c?.message?.content ?? "").join("") || responsesText,
    finishReasons: choices.map((c) => c?.finish_reason).filter((r): r is string => typeof r === "string"),
    ...usageOf(obj.usage),
  };
}

function summarizeStream(text: string): ResponseSummary {
  const summary: ResponseSummary = { model: null, completion: "", finishReasons: [], inputTokens: null, outputTokens: null, cachedInputTokens: null };
  for (const line of text.split("\n")) {
    if (!line.startsWith("data:")) continue;
    const data = line.slice(5).trim();
    if (!data || data === "[DONE]") continue;
    let chunk: any;
    try {
      chunk = JSON.parse(data);
    } catch {
      continue;
    }
    summary.model ??= typeof chunk.model === "string" ? chunk.model : null;
    for (const choice of chunk.choices ?? []) {
      summary.completion += choice?.delta?.content ?? "";
      if (typeof choice?.finish_reason === "string") summary.finishReasons.push(choice.finish_reason);
    }
    if (chunk.usage) Object.assign(summary, usageOf(chunk.usage));
  }
  return summary;
}

function usageOf(usage: any): Pick<ResponseSummary, "inputTokens" | "outputTokens" | "cachedInputTokens"> {
  if (!usage || typeof usage !== "object") return { inputTokens: null, outputTokens: null, cachedInputTokens: null };
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    inputTokens: num(usage.prompt_tokens) ?? num(usage.input_tokens),
    outputTokens: num(usage.completion_tokens) ?? num(usage.output_tokens),
    cachedInputTokens: num(usage.prompt_tokens_details?.cached_tokens) ?? num(usage.input_tokens_details?.cached_tokens),
  };
}
