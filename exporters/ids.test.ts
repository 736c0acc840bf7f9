import { describe, expect, it } from "vitest";
import { deterministicUuidv7, exampleKey, hexId, uuidv5 } from "./ids.ts";

const DNS_NAMESPACE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

describe("uuidv5", () => {
  it("matches the RFC 9562 / Python uuid5 reference value", () => {
    // python3 -c 'import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com"))'
    expect(uuidv5("www.example.com", DNS_NAMESPACE)).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("is stable per example key and distinct across keys", () => {
    const a = uuidv5(exampleKey({ graph: "admin_chat", dataset_version: 2, id: "count" }));
    expect(a).toBe(uuidv5("admin_chat@v2/count"));
    expect(a).not.toBe(uuidv5("admin_chat@v3/count"));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("deterministicUuidv7", () => {
  it("encodes the timestamp, sets version 7, and depends only on its arguments", () => {
    const ms = Date.parse("2026-11-21T10:00:00.123Z");
    const id = deterministicUuidv7(ms, "exp/ex/s1");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(ms);
    expect(deterministicUuidv7(ms, "exp/ex/s1")).toBe(id);
    expect(deterministicUuidv7(ms, "exp/ex/s2")).not.toBe(id);
  });
});

describe("hexId", () => {
  it("gives lowercase hex of the requested width", () => {
    expect(hexId("x", 16)).toMatch(/^[0-9a-f]{32}$/);
    expect(hexId("x", 8)).toMatch(/^[0-9a-f]{16}$/);
    expect(hexId("x", 8)).toBe(hexId("x", 16).slice(0, 16));
  });

  it("is the leading bytes of SHA-256(seed), so trace and span ids stay what earlier exports made", () => {
    // sha256("x") = 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881
    expect(hexId("x", 8)).toBe("2d711642b726b044");
    expect(hexId("x", 16)).toBe("2d711642b726b04401627ca9fbac32f5");
  });
});
