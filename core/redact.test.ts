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
    // The fewest digits each rule can replace: a digit count skips shorter texts unscanned.
    ["call +12345678", "call [redacted:phone]"],
    ["card 4222222222222 ok", "card [redacted:card] ok"],
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

  it("a value's repeated strings come out redacted in every place", () => {
    const answer = `call ${PLANTED_PHONE}`;
    expect(r.value({ output: { answer }, spans: [{ attributes: { answer } }], again: [answer, answer] })).toEqual({
      output: { answer: "call [redacted:phone]" },
      spans: [{ attributes: { answer: "call [redacted:phone]" } }],
      again: ["call [redacted:phone]", "call [redacted:phone]"],
    });
  });

  it("copies only what holds something to redact, and never touches the original", () => {
    const clean = { id: "a", input: { question: "how many?" }, spans: [{ attributes: { n: 3, ok: true } }], tags: ["x"] };
    expect(r.value(clean)).toBe(clean);
    const dirty = { id: "a", input: { question: `call ${PLANTED_PHONE}` }, spans: [{ attributes: { n: 3 } }], list: ["x", PLANTED_KEY, "y"] };
    const out = r.value(dirty);
    expect(out).toEqual({ id: "a", input: { question: "call [redacted:phone]" }, spans: [{ attributes: { n: 3 } }], list: ["x", "[redacted:api-key]", "y"] });
    expect(out.spans).toBe(dirty.spans);
    expect(dirty.input.question).toBe(`call ${PLANTED_PHONE}`);
    expect(dirty.list[1]).toBe(PLANTED_KEY);
  });

  it.each([
    ["BEARER abcdefgh12345678", "Bearer [redacted:api-key]"],
    ["x AIzaSyA1234567890abcdefghijklmnopqrstuv y", "x [redacted:api-key] y"],
    ["AKIAABCDEFGHIJKLMNOP", "[redacted:api-key]"],
    ["pat github_pat_abcdefghijklmnopqrstuvwxyz", "pat [redacted:api-key]"],
    // a key rule after a digit rule has changed the text still sees the new text
    [`${PLANTED_KEY} and 4111 1111 1111 1111 and +442079460958`, "[redacted:api-key] and [redacted:card] and [redacted:phone]"],
  ])("every key shape passes the shared probe: %j", (input, expected) => {
    expect(r.string(input)).toBe(expected);
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


describe("every built-in rule is linear in its input", () => {
  const MB = 1024 * 1024;
  /** Inputs that made the old regexes backtrack: long runs of the characters a rule scans over. */
  const hostile: Record<string, (n: number) => string> = {
    "address characters, no @": (n) => "a".repeat(n),
    "address characters around @ with no domain": (n) => `${"a.".repeat(n / 4)}@${"b-".repeat(n / 4)}`,
    "many @ with dotted runs": (n) => "x@y.".repeat(n / 4),
    "digits": (n) => "1".repeat(n),
    "digit groups": (n) => "12 ".repeat(n / 3),
    "digits far apart in runs of joiners": (n) => `1${" ".repeat(63)}`.repeat(n / 64),
    "runs of 7 digits with joiners, then a letter": (n) => "1 (2) 3-4.5+6 7x".repeat(n / 16),
    "key-like run": (n) => `sk-${"A".repeat(n)}`,
    "Bearer run": (n) => `Bearer ${" ".repeat(n / 2)}x`,
  };

  function time(fn: () => void): number {
    const started = performance.now();
    fn();
    return performance.now() - started;
  }

  /** Best of three: the machine is shared, and the fastest run is the one least disturbed. */
  const best = (fn: () => void) => Math.max(Math.min(time(fn), time(fn), time(fn)), 0.5);

  it.each(Object.keys(hostile))("%s: 8x the input takes about 8x the time (quadratic would be 64x), near a plain scan", (name) => {
    const make = hostile[name]!;
    // Sizes large enough that a run takes milliseconds, not timer ticks.
    const small = make(MB);
    const large = make(8 * MB);
    r.string(small); // warm up the JIT
    const tSmall = best(() => r.string(small));
    const tLarge = best(() => r.string(large));
    // Linear is 8x; quadratic would be 64x. The margin is for a shared 2-core machine running other tests.
    expect(tLarge / tSmall).toBeLessThan(32);
    // A plain scan as the floor: one look at every character of the same text.
    const tScan = best(() => {
      let sum = 0;
      for (let i = 0; i < large.length; i++) sum += large.charCodeAt(i);
      return sum;
    });
    expect(tLarge / tScan).toBeLessThan(2_000);
  });

  it("an 8 MB run after any key prefix is redacted, not a stack overflow", () => {
    for (const prefix of ["sk-", "Bearer ", "lsv2_", "ghp_"]) {
      expect(r.string(`${prefix}${"A".repeat(8 * MB)}`).startsWith(prefix === "Bearer " ? "Bearer [redacted:api-key]" : "[redacted:api-key]")).toBe(true);
    }
  });

  it("still finds what it should inside megabyte texts", () => {
    const text = `${"a".repeat(MB)} mail jane@example.com and call +1 (415) 555-0123 ${"1".repeat(MB)}`;
    const out = r.string(text);
    expect(out).toContain("mail [redacted:email] and call [redacted:phone]");
    expect(out.length).toBeLessThan(text.length);
  });
});

describe("secrets and options", () => {
  it("removes known secret values wherever they appear, longest first", () => {
    const red = createRedactor({ secrets: ["plainsecretvalue", "plainsecretvalue-extended", "short"] });
    expect(red.string("a plainsecretvalue-extended b plainsecretvalue c short")).toBe("a [redacted:secret] b [redacted:secret] c short");
  });

  it("pii: false keeps e-mails, phones and cards but never keys", () => {
    const red = createRedactor({ pii: false });
    expect(red.string("jane@example.com +1 (415) 555-0123 4111 1111 1111 1111 sk-test-4f9a8b7c6d")).toBe("jane@example.com +1 (415) 555-0123 4111 1111 1111 1111 [redacted:api-key]");
  });

  it("a marker gives stable placeholders per value", () => {
    const red = createRedactor({ pii: ["email"], marker: (label, match) => `<${label}:${match.length}>` });
    expect(red.string("a@b.io and c@dd.io, +1 (415) 555-0123")).toBe("<email:6> and <email:7>, +1 (415) 555-0123");
  });

  it.each([
    ["x@y.co2", "[redacted:email]2"],
    ["a..b@c.com", "[redacted:email]"],
    ["me@host", "me@host"],
    ["me@host.c", "me@host.c"],
    ["me@sub..example.com", "me@sub..example.com"],
    ["@example.com", "@example.com"],
    ["first@a.io,second@b.io", "[redacted:email],[redacted:email]"],
  ])("e-mail edge %j", (input, expected) => {
    expect(r.string(input)).toBe(expected);
  });
});
