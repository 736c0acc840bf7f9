import { describe, expect, it } from "vitest";
import { spans } from "./spans.ts";
import { input, span } from "./test-helpers.ts";

describe("spans", () => {
  const emitted = [span("agent_run:pipeline", "agent"), span("phase:discover", "phase"), span("phase:discover", "phase"), span("tool:search", "tool")];

  it("is not applicable without expected span names", () => {
    expect(spans(input({}, "x", emitted))).toBeNull();
    expect(spans(input({ spans: [] }, "x", emitted))).toBeNull();
  });

  it("passes when every named span was emitted", () => {
    expect(spans(input({ spans: ["phase:discover", "tool:search"] }, "x", emitted))).toMatchObject({ pass: true, score: 1 });
  });

  it("lists missing names and the names that were emitted", () => {
    const r = spans(input({ spans: ["phase:discover", "phase:qa", "phase:outreach"] }, "x", emitted))!;
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(1 / 3);
    expect(r.reason).toBe('Missing spans: ["phase:qa", "phase:outreach"]; emitted: ["agent_run:pipeline", "phase:discover", "tool:search"]');
  });
});
