import net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ModelPrice } from "../core/config.ts";
import type { priceCall as PriceCall } from "./pricing.ts";

// pricing.ts (and through it @pydantic/genai-prices) is imported only after fetch and raw sockets
// are trapped, so the offline test below covers import time as well as call time. Vitest runs each
// test file in a fresh worker, so nothing has loaded the library earlier.
const fetchSpy = vi.fn(() => Promise.reject(new Error("network access during pricing")));
let connectSpy: ReturnType<typeof vi.spyOn>;
let priceCall: typeof PriceCall;

beforeAll(async () => {
  vi.stubGlobal("fetch", fetchSpy);
  connectSpy = vi.spyOn(net.Socket.prototype, "connect").mockImplementation(() => {
    throw new Error("socket opened during pricing");
  });
  ({ priceCall } = await import("./pricing.ts"));
});

afterAll(() => {
  connectSpy.mockRestore();
  vi.unstubAllGlobals();
});

const OPENAI_MODEL = "gpt-4o-mini";
const OPENAI_SNAPSHOT = "gpt-4o-mini-2024-07-18";

describe("priceCall with genai-prices", () => {
  it("prices a known OpenAI model from the bundled snapshot, via the response model", () => {
    const r = priceCall({ model: OPENAI_MODEL, responseModel: OPENAI_SNAPSHOT, inputTokens: 1000, outputTokens: 100 }, {});
    expect(r.source).toBe("genai-prices");
    expect(r.provider).toBe("openai");
    expect(r.matchedModel).toBe(OPENAI_MODEL);
    expect(r.costUsd).toBeGreaterThan(0);
  });

  it("scales linearly with input and output tokens", () => {
    const cost = (inputTokens: number, outputTokens: number) =>
      priceCall({ model: OPENAI_MODEL, inputTokens, outputTokens }, {}).costUsd!;
    const perInput = cost(1_000_000, 0);
    const perOutput = cost(0, 1_000_000);
    expect(perInput).toBeGreaterThan(0);
    expect(perOutput).toBeGreaterThan(perInput);
    expect(cost(3000, 700)).toBeCloseTo((3000 * perInput + 700 * perOutput) / 1_000_000, 12);
    expect(cost(6000, 1400)).toBeCloseTo(2 * cost(3000, 700), 12);
    expect(cost(0, 0)).toBe(0);
  });

  it("charges cached input tokens at the cheaper cached rate", () => {
    const base = { model: OPENAI_MODEL, inputTokens: 10_000, outputTokens: 0 };
    const full = priceCall(base, {}).costUsd!;
    const half = priceCall({ ...base, cachedInputTokens: 5000 }, {}).costUsd!;
    expect(half).toBeLessThan(full);
    expect(half).toBeGreaterThan(full / 2);
  });

  it("falls back to the request model when the response model is unknown", () => {
    const r = priceCall({ model: OPENAI_MODEL, responseModel: "some-proxy-alias", inputTokens: 10, outputTokens: 10 }, {});
    expect(r).toMatchObject({ source: "genai-prices", matchedModel: OPENAI_MODEL });
  });

  it("returns null, without throwing, for a model nobody prices", () => {
    expect(priceCall({ model: "acme-llm-9000", inputTokens: 10, outputTokens: 10 }, {})).toEqual({ costUsd: null, source: null });
  });

  it("returns null rather than throwing on unusable token counts, and clamps a cached count above the input", () => {
    expect(priceCall({ model: OPENAI_MODEL, inputTokens: -1, outputTokens: 10 }, {}).costUsd).toBeNull();
    expect(priceCall({ model: OPENAI_MODEL, inputTokens: Number.NaN, outputTokens: 10 }, {}).costUsd).toBeNull();
    const clamped = priceCall({ model: OPENAI_MODEL, inputTokens: 100, outputTokens: 0, cachedInputTokens: 500 }, {});
    const allCached = priceCall({ model: OPENAI_MODEL, inputTokens: 100, outputTokens: 0, cachedInputTokens: 100 }, {});
    expect(clamped.costUsd).toBeGreaterThan(0);
    expect(clamped.costUsd).toBe(allCached.costUsd);
  });

  it("infers the provider when the model is not OpenAI's: deepseek-v4-pro is in the snapshot", () => {
    const r = priceCall({ model: "deepseek-v4-pro", inputTokens: 1000, outputTokens: 1000, at: new Date("2026-09-01T12:00:00Z") }, {});
    expect(r).toMatchObject({ source: "genai-prices", provider: "deepseek", matchedModel: "deepseek-v4-pro" });
    expect(r.costUsd).toBeGreaterThan(0);
  });

  it("uses the call time, so time-of-day prices are reproducible when `at` is given", () => {
    const call = { model: "deepseek-v4-pro", inputTokens: 1000, outputTokens: 1000 };
    const peak = priceCall({ ...call, at: new Date("2026-09-01T02:00:00Z") }, {}).costUsd!;
    const offPeak = priceCall({ ...call, at: new Date("2026-09-01T12:00:00Z") }, {}).costUsd!;
    expect(peak).toBeGreaterThan(offPeak);
    expect(priceCall({ ...call, at: new Date("2026-09-01T12:00:00Z") }, {}).costUsd).toBe(offPeak);
  });
});

describe("priceCall with overrides", () => {
  const price: ModelPrice = { input_per_mtok: 2, output_per_mtok: 8, cached_input_per_mtok: 0.5 };

  it("an override wins over genai-prices", () => {
    const r = priceCall({ model: OPENAI_MODEL, inputTokens: 1_000_000, outputTokens: 1_000_000 }, { [OPENAI_MODEL]: price });
    expect(r).toEqual({ costUsd: 10, source: "override", matchedModel: OPENAI_MODEL });
  });

  it("prices deepseek-v4-pro from the override when one is configured", () => {
    const r = priceCall({ model: "deepseek-v4-pro", inputTokens: 500_000, outputTokens: 250_000 }, { "deepseek-v4-pro": price });
    expect(r).toEqual({ costUsd: 0.5 * 2 + 0.25 * 8, source: "override", matchedModel: "deepseek-v4-pro" });
  });

  it("prices an otherwise unknown model, matching the response model first", () => {
    const overrides = { "acme-llm-9000": price, "acme-llm-9000-0815": { input_per_mtok: 1, output_per_mtok: 1 } };
    const r = priceCall({ model: "acme-llm-9000", responseModel: "acme-llm-9000-0815", inputTokens: 1_000_000, outputTokens: 0 }, overrides);
    expect(r).toEqual({ costUsd: 1, source: "override", matchedModel: "acme-llm-9000-0815" });
  });

  it("charges cached tokens at the cached rate, or the input rate when none is given", () => {
    const call = { model: "m", inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 400_000 };
    expect(priceCall(call, { m: price }).costUsd).toBeCloseTo(0.6 * 2 + 0.4 * 0.5, 12);
    expect(priceCall(call, { m: { input_per_mtok: 2, output_per_mtok: 8 } }).costUsd).toBeCloseTo(2, 12);
  });

  it("ignores inherited object keys such as toString", () => {
    expect(priceCall({ model: "toString", inputTokens: 1, outputTokens: 1 }, {}).costUsd).toBeNull();
  });
});

describe("remembered model resolution", () => {
  // priceCall resolves a model name once and applies static per-token rates itself afterwards; every
  // figure must be the library's own, to the last bit, whatever the token counts.
  it("gives calcPrice's exact figure for every statically priced model of the snapshot, call after call", async () => {
    const { calcPrice, findProvider } = await import("@pydantic/genai-prices");
    const providers = ["openai", "anthropic", "deepseek", "google"].map((id) => findProvider({ providerId: id })).filter((p) => p !== undefined);
    expect(providers.length).toBeGreaterThan(1);
    const grid = [[0, 0, 0], [1, 1, 0], [412, 38, 0], [1000, 20, 300], [123_457, 9_876, 65_432], [1_000_000, 250_000, 1_000_000], [7, 3, 7]] as const;
    const at = new Date("2026-11-21T10:00:00Z");
    let compared = 0;
    for (const provider of providers) {
      for (const model of provider.models) {
        for (const [input, output, cached] of grid) {
          // Each model twice: the first call teaches the memo, the second is served from it.
          for (let pass = 0; pass < 2; pass++) {
            const mine = priceCall({ model: model.id, inputTokens: input, outputTokens: output, cachedInputTokens: cached, at }, {});
            const usage = { input_tokens: input, output_tokens: output, ...(cached > 0 ? { cache_read_tokens: cached } : {}) };
            let theirs: number | null = null;
            try {
              theirs = calcPrice(usage, mine.matchedModel ?? model.id, { providerId: mine.provider ?? provider.id, timestamp: at })?.total_price ?? null;
            } catch {
              theirs = null;
            }
            if (mine.source !== "genai-prices") continue;
            expect({ model: model.id, input, output, cached, cost: mine.costUsd }).toEqual({ model: model.id, input, output, cached, cost: theirs });
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("an unknown model stays unpriced on every call", () => {
    for (let i = 0; i < 3; i++) expect(priceCall({ model: "no-such-model-xyz", inputTokens: 10, outputTokens: 10 }, {}).costUsd).toBeNull();
  });
});

describe("offline", () => {
  it("never touched the network while importing or pricing", () => {
    // Runs last: every call above went through the trapped fetch and sockets.
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(connectSpy).not.toHaveBeenCalled();
  });
});
