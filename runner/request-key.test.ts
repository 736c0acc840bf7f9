import { describe, expect, it } from "vitest";
import { parseBody, relativePath, requestKey, type CanonicalRequest } from "./request-key.ts";

const base = (): CanonicalRequest => ({
  method: "POST",
  path: "/chat/completions",
  body: {
    model: "gpt-4o-mini",
    temperature: 0,
    stream: false,
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: "2+2?" },
    ],
    tools: [{ type: "function", function: { name: "search", parameters: { type: "object", properties: { q: { type: "string" } } } } }],
  },
});

function withBody(patch: (body: Record<string, any>) => void): CanonicalRequest {
  const req = base();
  patch(req.body as Record<string, any>);
  return req;
}

describe("requestKey", () => {
  it("is a sha256 hex digest that is stable for equal requests", () => {
    const key = requestKey(base());
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(requestKey(base())).toBe(key);
  });

  it("ignores fields that identify the caller (user, metadata, store…)", () => {
    const key = requestKey(base());
    expect(requestKey(withBody((b) => (b.user = "alice@example.com")))).toBe(key);
    expect(requestKey(withBody((b) => (b.metadata = { run: "ci-1234" })))).toBe(key);
    expect(requestKey(withBody((b) => Object.assign(b, { store: true, prompt_cache_key: "x", safety_identifier: "y" })))).toBe(key);
  });

  it("ignores key order at every level", () => {
    const reordered: CanonicalRequest = {
      path: "/chat/completions",
      method: "POST",
      body: {
        tools: [{ function: { parameters: { properties: { q: { type: "string" } }, type: "object" }, name: "search" }, type: "function" }],
        messages: [
          { content: "You are terse.", role: "system" },
          { content: "2+2?", role: "user" },
        ],
        stream: false,
        temperature: 0,
        model: "gpt-4o-mini",
      },
    };
    expect(requestKey(reordered)).toBe(requestKey(base()));
  });

  it("treats the method case-insensitively", () => {
    expect(requestKey({ ...base(), method: "post" })).toBe(requestKey(base()));
  });

  it("changes when anything that can change the answer changes", () => {
    const key = requestKey(base());
    const variants = {
      message: withBody((b) => (b.messages[1].content = "3+3?")),
      role: withBody((b) => (b.messages[0].role = "user")),
      extraMessage: withBody((b) => b.messages.push({ role: "assistant", content: "4" })),
      temperature: withBody((b) => (b.temperature = 0.7)),
      model: withBody((b) => (b.model = "gpt-4o")),
      toolField: withBody((b) => (b.tools[0].function.parameters.properties.year = { type: "integer" })),
      noTools: withBody((b) => delete b.tools),
      path: { ...base(), path: "/responses" },
    };
    const keys = Object.values(variants).map(requestKey);
    for (const k of keys) expect(k).not.toBe(key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("ignores caller fields only at the top level (a message's `metadata` is content)", () => {
    const a = withBody((b) => (b.messages[1].metadata = "one"));
    const b = withBody((b) => (b.messages[1].metadata = "two"));
    expect(requestKey(a)).not.toBe(requestKey(b));
  });
});

describe("relativePath", () => {
  it("strips the baseURL's path prefix", () => {
    expect(relativePath("http://replay.invalid/v1/chat/completions", "http://replay.invalid/v1")).toBe("/chat/completions");
    expect(relativePath("http://replay.invalid/v1/chat/completions", "http://replay.invalid/v1/")).toBe("/chat/completions");
    expect(relativePath("https://example.com/openai/deployments/x/chat/completions", "https://example.com/openai/deployments/x")).toBe("/chat/completions");
  });

  it("keeps the query string", () => {
    expect(relativePath("https://example.com/openai/chat/completions?api-version=2024-10-21", "https://example.com/openai")).toBe("/chat/completions?api-version=2024-10-21");
  });

  it("leaves the path whole when the baseURL has none, and never returns an empty path", () => {
    expect(relativePath("http://127.0.0.1:8080/chat/completions", "http://127.0.0.1:8080")).toBe("/chat/completions");
    expect(relativePath("http://replay.invalid/v1", "http://replay.invalid/v1")).toBe("/");
  });

  it("does not depend on the host, so a recording replays against another endpoint", () => {
    expect(relativePath("http://replay.invalid/v1/chat/completions", "https://api.openai.com/v1")).toBe("/chat/completions");
  });
});

describe("parseBody", () => {
  it("parses JSON text and leaves non-JSON as it is", () => {
    expect(parseBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseBody("not json")).toBe("not json");
    expect(parseBody(undefined)).toBeNull();
  });
});
