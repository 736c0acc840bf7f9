import { describe, expect, it } from "vitest";
import { createRedactor, luhnValid } from "./redact.ts";

const PLANTED_KEY = "sk-test-4f9a8b7c6d";
const PLANTED_PHONE = "+1 (415) 555-0123";

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
    const custom = createRedactor({ patterns: ["ACME-\\d{4}", "secret project \\w+"] });
    expect(custom.string("ticket ACME-1234 about secret project falcon")).toBe("ticket [redacted] about [redacted]");
  });

  it("rejects invalid and empty-matching patterns with the index", () => {
    expect(() => createRedactor({ patterns: ["ok", "(unclosed"] })).toThrow(/redact\.patterns\[1\] is not a valid regular expression/);
    expect(() => createRedactor({ patterns: ["x*"], patternsField: "langsmith.redact" })).toThrow(/langsmith\.redact\[0\] matches the empty string/);
  });
});

