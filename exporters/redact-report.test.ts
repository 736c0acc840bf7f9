import { describe, expect, it } from "vitest";
import { createRedactor, redactReport } from "../core/redact.ts";
import { PLANTED_EMAIL, PLANTED_KEY, sampleReport } from "./testing/sample-report.ts";

const r = createRedactor();

describe("redactReport", () => {
  it("redacts every content field, recursively, and leaves the original untouched", () => {
    const report = sampleReport();
    const before = JSON.stringify(report);
    const clean = redactReport(report, r);
    expect(JSON.stringify(report)).toBe(before);
    const text = JSON.stringify(clean);
    expect(before).toContain(PLANTED_EMAIL);
    expect(before).toContain(PLANTED_KEY);
    expect(text).not.toContain(PLANTED_EMAIL);
    expect(text).not.toContain(PLANTED_KEY);
    expect(text).not.toContain("555-0123");
    const first = clean.examples[0]!;
    expect(first.spans[1]!.attributes["gen_ai.prompt"]).toEqual([{ role: "user", content: "how many companies? my key is [redacted:api-key]" }]);
    expect(first.scores[1]!.reason).toBe("2 of 3 steps as expected; key [redacted:api-key]");
    expect(clean.examples[2]!.error?.message).toBe("tool lookup was not recorded for [redacted:email]");
  });

  it("redacts dataset descriptions too (the LangSmith dataset shows them)", () => {
    const report = sampleReport();
    report.datasets[0]!.description = `owned by ${PLANTED_EMAIL}`;
    const clean = redactReport(report, r);
    expect(clean.datasets[0]!.description).toBe("owned by [redacted:email]");
    expect(clean.datasets[0]!.file).toBe(report.datasets[0]!.file);
    expect(report.datasets[0]!.description).toBe(`owned by ${PLANTED_EMAIL}`);
  });

  it("keeps structure: ids, files, numbers, booleans, times", () => {
    const clean = redactReport(sampleReport(), r);
    const first = clean.examples[0]!;
    expect(first.id).toBe("count-companies");
    expect(first.file).toBe("datasets/admin_chat/v2.yaml");
    expect(first.output?.data).toEqual({ rows: 2607 });
    expect(first.spans[2]!.attributes["evalgate.tool.attempt"]).toBe(1);
    expect(clean.started_at).toBe("2026-11-21T10:00:00.000Z");
  });
});
