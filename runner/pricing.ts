/**
 * Cost of one LLM call in USD.
 *
 * Why @pydantic/genai-prices: its price data is maintained upstream (per-provider model lists with
 * match rules, cached-input rates and dated price changes), so a new model or a price cut arrives
 * with a dependency bump instead of someone editing a table here. The npm package bundles a
 * snapshot of that data inside dist/index.js, and `calcPrice` is synchronous and reads only that
 * snapshot: the package has no `fetch` or socket code at all. Remote updates exist only behind
 * `updatePrices(...)`, which evalgate never calls, so pricing works offline and replay stays
 * hermetic (runner/pricing.test.ts checks that no socket is opened at import or call time).
 *
 * Limits:
 *  - Prices are as of the installed snapshot: they go stale until the dependency is bumped, and a
 *    model released after it is unknown (cost null) until then, or until it is priced in
 *    eval.config.ts `pricing`, which always wins.
 *  - Some prices depend on when the call was made (dated changes; DeepSeek's peak/off-peak hours).
 *    Pass `at` (the recording's time in replay) for a cost that does not change with the hour CI runs.
 *  - We only pass text tokens (input, output, cached input). Audio, images, web searches and
 *    cache-write surcharges are not priced.
 *  - The endpoint is OpenAI-compatible, so the provider is a guess: "openai" first, then whatever
 *    provider the library infers from the model name (deepseek-* → DeepSeek list prices). A proxy
 *    or reseller with its own rates needs an override.
 */
import { lazily } from "../core/lazy-module.ts";

// The snapshot is a large module: loaded at the first priced call, so agents that make none never pay for it.
const genaiPrices = lazily<typeof import("@pydantic/genai-prices")>("@pydantic/genai-prices");
import type { ModelPrice } from "../core/config.ts";

export interface LlmCall {
  /** Model named in the request (config `llm.model`). */
  model: string;
  /** Model named in the response, often more specific (gpt-4o-mini-2024-07-18). */
  responseModel?: string | null;
  inputTokens: number;
  outputTokens: number;
  /** Part of `inputTokens` served from the provider's prompt cache (OpenAI's cached_tokens). */
  cachedInputTokens?: number | null;
  /** When the call was made; prices that changed over time or vary by hour use it. Default: now. */
  at?: Date;
}

export type PriceSource = "override" | "genai-prices";

export interface CallPrice {
  /** null when no price is known for the model, or the token counts are unusable. */
  costUsd: number | null;
  source: PriceSource | null;
  /** The override key or genai-prices model id that priced the call. */
  matchedModel?: string;
  /** genai-prices provider id (openai, deepseek, …) when the library priced the call. */
  provider?: string;
}

const UNPRICED: CallPrice = { costUsd: null, source: null };

/** Provider hints tried in order; undefined lets genai-prices infer the provider from the model name. */
const PROVIDER_HINTS: readonly (string | undefined)[] = ["openai", undefined];

/** Prices one call: a config override for either model name, else genai-prices. Never throws. */
export function priceCall(call: LlmCall, overrides: Readonly<Record<string, ModelPrice>> = {}): CallPrice {
  const { inputTokens, outputTokens } = call;
  if (!isCount(inputTokens) || !isCount(outputTokens)) return UNPRICED;
  // A cached count above the input total is a provider quirk; it cannot be more than everything.
  const cached = isCount(call.cachedInputTokens) ? Math.min(call.cachedInputTokens, inputTokens) : 0;

  // The response model is tried first: it names the exact snapshot that answered.
  const names = [...new Set([call.responseModel, call.model].filter((m): m is string => typeof m === "string" && m.trim() !== ""))];

  for (const name of names) {
    const price = Object.hasOwn(overrides, name) ? overrides[name] : undefined;
    if (price) return { costUsd: overrideCost(price, inputTokens, outputTokens, cached), source: "override", matchedModel: name };
  }

  const usage = { input_tokens: inputTokens, output_tokens: outputTokens, ...(cached > 0 ? { cache_read_tokens: cached } : {}) };
  for (const name of names) {
    for (const providerId of PROVIDER_HINTS) {
      const found = lookUp(usage, name, providerId, call.at);
      if (found) return found;
    }
  }
  return UNPRICED;
}

/**
 * What a (model, provider hint) resolves to in the snapshot, learned from its first calcPrice:
 * matching a model name runs the library's match rules over a provider's whole model list (about
 * 20 µs a call, a fifth of a replayed LLM call's cost), while the answer depends only on the name.
 * Static per-token rates are then applied here; anything else (dated or time-of-day prices, tiers,
 * per-request fees) goes through calcPrice every time.
 */
type Resolution =
  | { kind: "unpriced" }
  | { kind: "rates"; rates: TokenRates; matchedModel: string; provider: string }
  | { kind: "library" };

interface TokenRates {
  input_mtok: number;
  output_mtok: number;
  cache_read_mtok: number | undefined;
}

/** Price keys that cost nothing for the usage evalgate passes (text tokens only). */
const UNUSED_PRICE_KEYS = new Set(["web_searches_kcount", "storage_searches_kcount", "file_searches_kcount"]);

const resolutions = new Map<string, Resolution>();

function lookUp(usage: Record<string, number>, model: string, providerId: string | undefined, at: Date | undefined): CallPrice | null {
  const key = `${providerId ?? ""}\u0000${model}`;
  const known = resolutions.get(key);
  if (known?.kind === "unpriced") return null;
  if (known?.kind === "rates" && (known.rates.cache_read_mtok !== undefined || !usage.cache_read_tokens)) {
    // Cached tokens with no cached rate are left to the library (it knows its own fallback).
    return { costUsd: costAt(known.rates, usage), source: "genai-prices", matchedModel: known.matchedModel, provider: known.provider };
  }
  try {
    const result = genaiPrices().calcPrice(usage, model, { ...(providerId ? { providerId } : {}), ...(at ? { timestamp: at } : {}) });
    if (!result) {
      // Not found does not depend on the usage or the time: no provider or no model of that name.
      resolutions.set(key, { kind: "unpriced" });
      return null;
    }
    if (!Number.isFinite(result.total_price)) return null;
    if (!known) {
      const rates = staticRates(result.model.prices, result.model_price);
      resolutions.set(key, rates ? { kind: "rates", rates, matchedModel: result.model.id, provider: result.provider.id } : { kind: "library" });
    }
    return { costUsd: result.total_price, source: "genai-prices", matchedModel: result.model.id, provider: result.provider.id };
  } catch {
    // The library throws on usage it considers inconsistent or on malformed price data; an
    // unknown cost is the honest answer, and the budgets scorer explains what to do about it.
    return null;
  }
}

/** The model's rates when they are plain per-token numbers that never change with time or volume. */
function staticRates(prices: unknown, modelPrice: unknown): TokenRates | null {
  // An array is a list of dated (or time-of-day) prices: the right one depends on `at`.
  if (Array.isArray(prices) || modelPrice === null || typeof modelPrice !== "object") return null;
  const rates = modelPrice as Record<string, unknown>;
  for (const [name, value] of Object.entries(rates)) {
    if (name === "input_mtok" || name === "output_mtok" || name === "cache_read_mtok") {
      if (typeof value !== "number" || !Number.isFinite(value)) return null;
    } else if (!UNUSED_PRICE_KEYS.has(name)) return null;
  }
  const { input_mtok: input, output_mtok: output, cache_read_mtok: cached } = rates as Partial<Record<string, number>>;
  if (input === undefined || output === undefined) return null;
  return { input_mtok: input, output_mtok: output, cache_read_mtok: cached };
}

/** The library's own sum, in its order (uncached input, cached input, then output), so the figure is the same to the last bit. */
function costAt(rates: TokenRates, usage: Record<string, number>): number {
  const cached = usage.cache_read_tokens ?? 0;
  let input = (rates.input_mtok * (usage.input_tokens! - cached)) / 1e6;
  if (rates.cache_read_mtok !== undefined) input += (rates.cache_read_mtok * cached) / 1e6;
  const output = (rates.output_mtok * usage.output_tokens!) / 1e6;
  return input + output + 0;
}

function overrideCost(price: ModelPrice, input: number, output: number, cached: number): number {
  const cachedRate = price.cached_input_per_mtok ?? price.input_per_mtok;
  return ((input - cached) * price.input_per_mtok + cached * cachedRate + output * price.output_per_mtok) / 1_000_000;
}

function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isFinite(n) && n >= 0;
}
