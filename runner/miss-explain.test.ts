import { describe, expect, it } from "vitest";
import type { RecordedExchange } from "../core/recording.ts";
import { explainDifferences, nearestExchange } from "./miss-explain.ts";
import { requestKey, type CanonicalRequest } from "./request-key.ts";

const SYSTEM = ["You answer questions about the lead-gen database.", "Use the lookup result when one is given.", "Answer in one short sentence.", "Never invent numbers."].join("\n");

const searchTool = (properties: Record<string, unknown>) => ({
  type: "function",
  function: { name: "search", description: "Search papers", parameters: { type: "object", properties } },
});

function request(patch: (body: Record<string, any>) => void = () => {}): CanonicalRequest {
  const body: Record<string, any> = {
    model: "gpt-4o-mini",
    temperature: 0,
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: "how many companies?" },
    ],
    tools: [searchTool({ query: { type: "string" } })],
  };
  patch(body);
  return { method: "POST", path: "/chat/completions", body };
}

function exchange(req: CanonicalRequest, answer = "ok"): RecordedExchange {
  return {
    key: requestKey(req),
    request: { method: req.method, path: req.path, body: req.body },
    response: { status: 200, content_type: "application/json", body: { choices: [{ message: { role: "assistant", content: answer } }] } },
    latency_ms: 10,
  };
}

describe("explainDifferences", () => {
  it("finds nothing to say about the same request, even with caller fields and key order changed", () => {
    const now = request((b) => {
      b.user = "someone";
      b.metadata = { ci: true };
    });
    expect(explainDifferences(now, exchange(request()).request)).toEqual([]);
  });

  it("names the changed message, its role, the first changed line, and both versions of it", () => {
    const now = request((b) => (b.messages[0].content = SYSTEM.replace("Answer in one short sentence.", "Answer in two sentences.")));
    const diffs = explainDifferences(now, exchange(request()).request);
    expect(diffs).toHaveLength(1);
    const [diff] = diffs;
    expect(diff).toMatch(/^messages\[0\] \(system\) changed at line 3:/);
    expect(diff).toContain('recorded: "Answer in one short sentence."');
    expect(diff).toContain('now:      "Answer in two sentences."');
    // the unchanged lines around it are not part of the explanation
    expect(diff).not.toContain("Never invent numbers.");
  });

  it("says when a message gained or lost lines at the end", () => {
    const longer = request((b) => (b.messages[0].content = `${SYSTEM}\nCite the source.`));
    expect(explainDifferences(longer, exchange(request()).request)).toEqual(['messages[0] (system) gained text at line 5: "Cite the source."']);
    expect(explainDifferences(request(), exchange(longer).request)).toEqual(['messages[0] (system) lost text at line 5: "Cite the source."']);
  });

  it("says when a message was added or removed", () => {
    const more = request((b) => b.messages.push({ role: "assistant", content: "2607" }));
    expect(explainDifferences(more, exchange(request()).request)).toEqual(['messages[2] (assistant): added: "2607"']);
    expect(explainDifferences(request(), exchange(more).request)).toEqual(['messages[2] (assistant): removed (was "2607")']);
  });

  it("names the tool whose schema gained or lost a field", () => {
    const gained = request((b) => (b.tools = [searchTool({ query: { type: "string" }, year: { type: "integer" } })]));
    expect(explainDifferences(gained, exchange(request()).request)).toEqual(['tools: "search" schema gained field year']);
    expect(explainDifferences(request(), exchange(gained).request)).toEqual(['tools: "search" schema lost field year']);
  });

  it("names a tool that was added or dropped", () => {
    const extra = { type: "function", function: { name: "get_paper", parameters: { type: "object", properties: {} } } };
    const more = request((b) => b.tools.push(extra));
    expect(explainDifferences(more, exchange(request()).request)).toEqual(['tools: gained tool "get_paper"']);
    expect(explainDifferences(request(), exchange(more).request)).toEqual(['tools: lost tool "get_paper"']);
  });

  it("reports a sampling parameter that moved, appeared or disappeared", () => {
    // Quotes around numbers are optional here: see the it.fails below for why they are wrong.
    expect(explainDifferences(request((b) => (b.temperature = 0.7)), exchange(request()).request)).toEqual([expect.stringMatching(/^temperature: recorded "?0"?, now "?0\.7"?$/)]);
    expect(explainDifferences(request((b) => (b.seed = 42)), exchange(request()).request)).toEqual([expect.stringMatching(/^seed: added \("?42"?\)$/)]);
    expect(explainDifferences(request((b) => delete b.temperature), exchange(request()).request)).toEqual([expect.stringMatching(/^temperature: removed \(was "?0"?\)$/)]);
  });

  // BUG (runner/miss-explain.ts, short): non-string values are JSON-encoded twice (canonicalJson,
  // then JSON.stringify of that text), so the number 0 prints as "0", exactly like the string "0":
  // a type change is explained as `recorded "0", now "0"`, and objects print with escaped quotes.
  it("shows numbers as numbers, so a number turned string is visible", () => {
    expect(explainDifferences(request((b) => (b.temperature = 0.7)), exchange(request()).request)).toEqual(["temperature: recorded 0, now 0.7"]);
    const [diff] = explainDifferences(request((b) => (b.temperature = "0")), exchange(request()).request);
    expect(diff).toBe('temperature: recorded 0, now "0"');
  });

  it("reports method and path changes", () => {
    const now: CanonicalRequest = { ...request(), path: "/responses" };
    expect(explainDifferences(now, exchange(request()).request)).toEqual(["path: recorded /chat/completions, now /responses"]);
  });

  it("stops listing message changes after the first few (later ones follow from the first)", () => {
    const recorded = request((b) => {
      for (let i = 0; i < 6; i++) b.messages.push({ role: "user", content: `question ${i}` });
    });
    const now = request((b) => {
      b.messages[1].content = "how many contacts?";
      for (let i = 0; i < 6; i++) b.messages.push({ role: "user", content: `question ${i}!` });
    });
    const diffs = explainDifferences(now, exchange(recorded).request);
    expect(diffs).toHaveLength(4);
    expect(diffs[0]).toMatch(/^messages\[1\] \(user\) changed at line 1/);
    expect(diffs[3]).toMatch(/later messages differ too/);
  });

  // BUG (runner/miss-explain.ts, diffMessages): the "later messages differ too" note is pushed as
  // soon as three message diffs are listed, whether or not any later message differs.
  it("does not claim later messages differ when exactly three messages changed and nothing after them", () => {
    const recorded = request((b) => b.messages.push({ role: "user", content: "third" }));
    const now = request((b) => {
      b.messages[0].content = "other system prompt";
      b.messages[1].content = "other question";
      b.messages.push({ role: "user", content: "other third" });
    });
    const diffs = explainDifferences(now, exchange(recorded).request);
    expect(diffs.some((d) => d.includes("later messages differ too"))).toBe(false);
  });
});

describe("nearestExchange", () => {
  const temp07 = request((b) => (b.temperature = 0.7));
  const otherQuestion = request((b) => (b.messages[1].content = "how many contacts?"));
  const twoChanges = request((b) => {
    b.temperature = 0.7;
    b.model = "gpt-4o";
  });

  it("returns null when there is nothing to compare with", () => {
    expect(nearestExchange(request(), [], 0)).toBeNull();
  });

  it("prefers the recording with the fewest differences, even at another call position", () => {
    const exchanges = [exchange(twoChanges), exchange(temp07)];
    const nearest = nearestExchange(request(), exchanges, 0);
    expect(nearest?.position).toBe(1);
    expect(nearest?.exchange).toBe(exchanges[1]);
    expect(nearest?.diffs).toEqual([expect.stringMatching(/^temperature: recorded "?0\.7"?, now "?0"?$/)]);
  });

  it("breaks a tie in differences with the same call position", () => {
    const exchanges = [exchange(temp07), exchange(otherQuestion), exchange(request((b) => (b.seed = 1)))];
    for (const callIndex of [0, 1, 2]) expect(nearestExchange(request(), exchanges, callIndex)?.position).toBe(callIndex);
    // no recording at this position: the first of the equally near ones
    expect(nearestExchange(request(), exchanges, 7)?.position).toBe(0);
  });

  it("finds an exact match with no differences (its answers were used up)", () => {
    const exchanges = [exchange(temp07), exchange(request())];
    expect(nearestExchange(request(), exchanges, 0)).toMatchObject({ position: 1, diffs: [] });
  });
});
