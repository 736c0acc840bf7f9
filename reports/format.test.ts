import { describe, expect, it } from "vitest";
import { failureReasons, formatDuration, formatTokens, formatUsd, reproduceCommand, shellQuote, sourcePath, truncate } from "./format.ts";
import { makeExample, makeScore } from "./test-fixtures.ts";

describe("shared formatting", () => {
  it("quotes only the arguments a shell would split or expand", () => {
    expect(shellQuote("count-companies")).toBe("count-companies");
    expect(shellQuote("two words")).toBe("'two words'");
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(reproduceCommand(makeExample({ id: "why not?" }))).toBe("pnpm eval --graph admin_chat --dataset-version 1 --example 'why not?'");
  });

  it("lists failing scores then the error, and never passing scores", () => {
    const example = makeExample({
      id: "x",
      verdict: "regression",
      outcome: "error",
      scores: [makeScore("must_contain", false, "Missing: [a]"), makeScore("regex", true, "matched")],
      error: { kind: "Timeout", message: "stopped after 30000 ms" },
    });
    expect(failureReasons(example)).toEqual(["must_contain: Missing: [a]", "Timeout: stopped after 30000 ms"]);
  });

  it("groups token counts in thousands exactly as en-US does, without loading ICU for it", () => {
    for (const n of [0, 7, 42, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 1_234_567, 98_765_432_101, Number.MAX_SAFE_INTEGER, -1, -1234, -1_234_567]) {
      expect(formatTokens(n)).toBe(n.toLocaleString("en-US"));
    }
    // Not whole numbers (never a token count, but the function takes any number): en-US as before.
    for (const n of [1.5, 1234.5678, Number.NaN, Number.POSITIVE_INFINITY, 1e21]) expect(formatTokens(n)).toBe(n.toLocaleString("en-US"));
  });

  it("formats durations, money and truncation for humans", () => {
    expect([formatDuration(12.4), formatDuration(4200), formatDuration(125_000)]).toEqual(["12 ms", "4.2 s", "2 min 05 s"]);
    expect([formatUsd(null), formatUsd(0), formatUsd(0.00012), formatUsd(3.456)]).toEqual(["n/a", "$0.00", "$0.0001", "$3.46"]);
    expect(truncate("😀😀😀😀", 3)).toBe("😀😀…");
  });

  it("keeps report paths unless the checkout root is above the project root", () => {
    expect(sourcePath("datasets/a/v1.yaml", "/w/repo", {})).toBe("datasets/a/v1.yaml");
    expect(sourcePath("datasets/a/v1.yaml", "/w/repo/evals", { GITHUB_WORKSPACE: "/w/repo" })).toBe("evals/datasets/a/v1.yaml");
    expect(sourcePath("datasets/a/v1.yaml", "/elsewhere", { GITHUB_WORKSPACE: "/w/repo" })).toBe("datasets/a/v1.yaml");
  });
});

describe("truncateWords", () => {
  it("cuts a long one-line reason at a word, and never inside a path", async () => {
    const { truncateWords } = await import("./format.ts");
    const reason = `recording_miss: LLM call #1 of admin_chat@v1/count-companies has no recording (request key 3f9a0c1d2e4b): no recording file (datasets/admin_chat/recordings/v1/count-companies.json)`;
    const cut = truncateWords(reason, 160);
    expect(cut).toContain("datasets/admin_chat/recordings/v1/count-companies.json");
    expect(truncateWords("word ".repeat(60), 40)).toMatch(/^(word ){7}word …$/);
    expect(truncateWords("short", 40)).toBe("short");
  });
});
