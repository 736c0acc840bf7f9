import { describe, expect, it } from "vitest";
import { extractCitations } from "./citations.ts";

describe("extractCitations", () => {
  it("finds path:line citations in order of first use, without duplicates", () => {
    const report = [
      "The retry loop lives in `backend/leadgen_agent/llm.py:259` and backs off exponentially.",
      "Spans are opened in backend/leadgen_agent/langsmith_setup.py:87 (agent) and :133 (tools).",
      "Again: backend/leadgen_agent/llm.py:259.",
      "The GraphQL field is resolved in (src/apollo/resolvers/products/intel-runs.ts:268).",
    ].join("\n");
    expect(extractCitations(report)).toEqual([
      "backend/leadgen_agent/llm.py:259",
      "backend/leadgen_agent/langsmith_setup.py:87",
      "src/apollo/resolvers/products/intel-runs.ts:268",
    ]);
  });

  it("keeps line ranges, including en-dash ranges", () => {
    expect(extractCitations("see src/db/schema.ts:1196-1204 and backend/core/app.py:581–612"))
      .toEqual(["src/db/schema.ts:1196-1204", "backend/core/app.py:581-612"]);
  });

  it("accepts bare file names and absolute paths", () => {
    expect(extractCitations("wrangler.jsonc:14 and /srv/app/main.py:3")).toEqual(["wrangler.jsonc:14", "/srv/app/main.py:3"]);
  });

  it("ignores times, URL ports and paths without a line", () => {
    const text = "Deployed at 12:30 via https://api.smith.langchain.com:443/runs; config in eval.config.ts, version 1.2:3x";
    expect(extractCitations(text)).toEqual([]);
  });

  it("returns nothing for an empty report", () => {
    expect(extractCitations("")).toEqual([]);
  });
});
