import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import fg from "fast-glob";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const SDK_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)["']langsmith(?:\/[^"']*)?["']/;

describe("the langsmith SDK boundary", () => {
  it("is imported by exporters/langsmith/client.ts and nowhere else in the project", async () => {
    const files = await fg("**/*.{ts,mts,cts,js,mjs}", { cwd: ROOT, ignore: ["**/node_modules/**", "**/.evalgate/**", "**/.git/**", "dist/**"] });
    const importers: string[] = [];
    for (const file of files) {
      if (SDK_IMPORT.test(await readFile(join(ROOT, file), "utf8"))) importers.push(relative(ROOT, join(ROOT, file)));
    }
    expect(importers).toEqual(["exporters/langsmith/client.ts"]);
  });
});
