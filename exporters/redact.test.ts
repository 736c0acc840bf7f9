import { describe, expect, it } from "vitest";
import { createRedactor, luhnValid, redactReport } from "./redact.ts";
import { PLANTED_EMAIL, PLANTED_KEY, PLANTED_PHONE, sampleReport } from "./testing/sample-report.ts";

const r = createRedactor();

describe("built-in rules", () => {
  it.each([
    ["write to jane.doe+tag@mail.example.co.uk today", "write to [redacted:email] today"],
    [`key ${PLANTED_KEY}.`, "key [redacted:api-key]."],
    ["sk-proj-AbC123xyz and lsv2_pt_01234567", "[redacted:api-key] and [redacted:api-key]"],
    ["Authorization: Bearer eyJhbGciOi.J9.abc", "Authorization: Bearer [redacted:api-key]"],
    ["token ghp_abcdefghijklmnopqrstuvwxyz0123456789 ok", "token [redacted:api-key] ok"],
    ["card 4111 1111 1111 1111 on file", "card [redacted:card] on file"],
    ["card 5500-0000-0000-0004", "card [redacted:card]"],
    [`call ${PLANTED_PHONE} now`, "call [redacted:phone] now"],
    ["call 415-555-0123 or +442079460958", "call [redacted:phone] or [redacted:phone]"],
  ])("redacts %j", (input, expected) => {
    expect(r.string(input)).toBe(expected);
  });

  it.each([
    "order 1234 5678 9012 3456 shipped", // 16 digits, fails Luhn
    "at 2026-11-21 10:30:00Z",
    "host 192.168.100.200",
    "pi is 3.14159265",
    "2607 companies, 12 tables, 1,234,567 rows",
    "task-force-planning and risk-assessment",
    "uuid a23dadec-1007-47de-b3d1-d638ad2df8cd",
    "sk-learn", // too short to be a key
  ])("keeps %j", (input) => {
    expect(r.string(input)).toBe(input);
  });

  it("checks card numbers with Luhn", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(luhnValid("411111")).toBe(false);
  });
});

describe("extra patterns", () => {
  it("applies configured regex sources after the built-in rules", () => {
    const custom = createRedactor(["ACME-\\d{4}", "secret project \\w+"]);
    expect(custom.string("ticket ACME-1234 about secret project falcon")).toBe("ticket [redacted] about [redacted]");
  });

  it("rejects invalid and empty-matching patterns with the index", () => {
    expect(() => createRedactor(["ok", "(unclosed"])).toThrow(/langsmith\.redact\[1\] is not a valid regular expression/);
    expect(() => createRedactor(["x*"])).toThrow(/langsmith\.redact\[0\] matches the empty string/);
  });
});

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
