import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeChunksAtomic } from "./atomic-write.ts";
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

  it("gives a writer rows in report order with their separators, copied as bytes whether they lie together or apart", async () => {
    const spool = new RowSpool(",\n");
    const rows = Array.from({ length: 900 }, (_, i) => ({ result: makeExample({ id: `r${i}` }), text: `{"row":${i},"text":"${"ü".repeat(700 + (i % 13))}"}` }));
    // Most arrive in order, some late (as from threads): 2.6 MB, past the writer's 1 MB copies.
    const arrival = [...rows.slice(0, 400), ...rows.slice(410, 900), ...rows.slice(400, 410).reverse()];
    for (const { result, text } of arrival) spool.add(result, text);
    const dir = mkdtempSync(join(tmpdir(), "spool-write-"));
    try {
      const chunks = ["[\n", ...rows.map(({ result }, i) => spool.row(result, i > 0)!), "\n]\n"];
      const file = await writeChunksAtomic(join(dir, "report.json"), chunks);
      expect(readFileSync(file, "utf8")).toBe(`[\n${rows.map((r) => r.text).join(",\n")}\n]\n`);
      expect(spool.row(rows[5]!.result, false)!.empty).toBe(false);
    } finally {
      spool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
