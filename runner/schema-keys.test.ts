import { describe, expect, it } from "vitest";
import { EvalConfig } from "../core/config.ts";
import { keysAt } from "./schema-keys.ts";

describe("keysAt", () => {
  it("lists the keys the config allows at a path, through wrappers, records and unions", () => {
    expect(keysAt(EvalConfig, [])).toEqual(expect.arrayContaining(["datasets", "graphs", "llm", "workers", "timeoutMs", "reporters"]));
    expect(keysAt(EvalConfig, ["llm"])).toEqual(expect.arrayContaining(["model", "baseURL", "apiKeyEnv", "temperature"]));
    // A graph entry is a path or { entry, llm }: the object form's keys.
    expect(keysAt(EvalConfig, ["graphs", "qa"])).toEqual(expect.arrayContaining(["entry"]));
    expect(keysAt(EvalConfig, ["no", "such", "path"])).toEqual([]);
  });
});
