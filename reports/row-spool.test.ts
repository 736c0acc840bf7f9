import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RowSpool } from "./row-spool.ts";
import { makeExample } from "./test-fixtures.ts";

describe("RowSpool", () => {
  it("gives back each row for its example (graph, version, id), until the result gains a trace_url", () => {
    const spool = new RowSpool();
    const a = makeExample({ id: "a" });
    const b = makeExample({ id: "b" });
    spool.add(a, "row a → ünïcode");
    spool.add(b, "row b");
    expect(spool.take(b)).toBe("row b");
    expect(spool.take(a)).toBe("row a → ünïcode");
    expect(spool.take(makeExample({ id: "a" }))).toBe("row a → ünïcode");
    expect(spool.take(makeExample({ id: "a", dataset_version: 2 }))).toBeUndefined();
    b.trace_url = "https://smith.example/r/b";
    expect(spool.take(b)).toBeUndefined();
    spool.close();
    expect(spool.take(a)).toBeUndefined();
  });

  it("keeps rows past the first megabyte written out and in order", () => {
    const spool = new RowSpool();
    const rows = Array.from({ length: 600 }, (_, i) => ({ result: makeExample({ id: `e${i}` }), text: `${"é".repeat(1000)} row ${i} ${"x".repeat(i)}` }));
    for (const { result, text } of rows) spool.add(result, text);
    for (const { result, text } of [...rows].reverse()) expect(spool.take(result)).toBe(text);
    spool.close();
  });

  it("leaves nothing in the temporary folder even while open, so a killed run leaves no rows behind", () => {
    const scratch = mkdtempSync(join(tmpdir(), "spool-test-"));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      const spool = new RowSpool();
      const a = makeExample({ id: "a" });
      spool.add(a, "row a");
      for (let i = 0; i < 300; i++) spool.add(makeExample({ id: `f${i}` }), "y".repeat(5000));
      expect(readdirSync(scratch)).toEqual([]);
      expect(spool.take(a)).toBe("row a");
      spool.close();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
