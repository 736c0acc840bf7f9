import { describe, expect, it } from "vitest";
import type { Dataset, LocatedExample } from "../core/dataset.ts";
import { parseShard, planRun, type Filters } from "./plan.ts";

function example(id: string, tags: string[], line: number): LocatedExample {
  return { id, tags, input: {}, tools: [], expect: { must_contain: [], must_not_contain: [], regex: [], must_not_match: [] }, pass: true, line, column: 5 };
}

function dataset(graph: string, version: number, examples: [string, string[]][]): Dataset {
  const file = `datasets/${graph}/v${version}.yaml`;
  return {
    graph,
    version,
    description: `${graph} v${version}`,
    file,
    absFile: `/repo/${file}`,
    contentHash: "0".repeat(64),
    recordingsDir: `/repo/datasets/${graph}/recordings/v${version}`,
    examples: examples.map(([id, tags], i) => example(id, tags, 5 + i * 10)),
  };
}

// Given out of file order on purpose: the plan must not depend on the order datasets arrive in.
const DATASETS: Dataset[] = [
  dataset("research", 1, [["r1", ["smoke"]], ["r2", ["slow"]], ["r3", []]]),
  dataset("admin", 2, [["a2-1", ["smoke", "auth"]], ["a2-2", []]]),
  dataset("admin", 1, [["a1-1", ["auth"]], ["a1-2", ["smoke"]], ["a1-3", ["slow", "auth"]]]),
  dataset("pipeline", 1, [["p1", ["slow"]], ["p2", ["smoke"]], ["p3", []], ["p4", ["auth"]], ["p5", []]]),
];
const ALL = ["a1-1", "a1-2", "a1-3", "a2-1", "a2-2", "p1", "p2", "p3", "p4", "p5", "r1", "r2", "r3"];

const NO_FILTERS: Filters = { graphs: [], versions: [], tags: [], examples: [] };
const ids = (filters: Partial<Filters>, shard: Parameters<typeof planRun>[2] = null) => planRun(DATASETS, { ...NO_FILTERS, ...filters }, shard).map((p) => p.example.id);

describe("planRun order", () => {
  it("orders datasets by the code units of their paths, not the machine's locale, so shards deal alike everywhere", () => {
    // en_US's collation puts "Zoo" after "apple" and "ä" before "z"; sv_SE puts "ä" after "z". Code units: Z < a < z < ä.
    const sets = [dataset("z", 1, [["z1", []]]), dataset("ä", 1, [["ä1", []]]), dataset("apple", 1, [["a1", []]]), dataset("Zoo", 1, [["Z1", []]])];
    expect(planRun(sets, NO_FILTERS, null).map((p) => p.example.id)).toEqual(["Z1", "a1", "z1", "ä1"]);
    expect(planRun(sets, NO_FILTERS, { index: 2, total: 2 }).map((p) => p.example.id)).toEqual(["a1", "ä1"]);
  });
});

describe("planRun filters", () => {
  it("selects everything, in dataset-file then position order, without filters", () => {
    expect(ids({})).toEqual(ALL);
    const planned = planRun(DATASETS, NO_FILTERS, null);
    expect(planned[0]!.dataset.file).toBe("datasets/admin/v1.yaml");
  });

  it("ORs values of one kind", () => {
    expect(ids({ graphs: ["admin", "research"] })).toEqual(["a1-1", "a1-2", "a1-3", "a2-1", "a2-2", "r1", "r2", "r3"]);
    expect(ids({ tags: ["smoke", "slow"] })).toEqual(["a1-2", "a1-3", "a2-1", "p1", "p2", "r1", "r2"]);
    expect(ids({ examples: ["r3", "p1"] })).toEqual(["p1", "r3"]);
    expect(ids({ versions: ["2"] })).toEqual(["a2-1", "a2-2"]);
  });

  it("ANDs different kinds", () => {
    expect(ids({ graphs: ["admin"], tags: ["auth"] })).toEqual(["a1-1", "a1-3", "a2-1"]);
    expect(ids({ graphs: ["admin"], versions: ["1"], tags: ["auth", "smoke"] })).toEqual(["a1-1", "a1-2", "a1-3"]);
    expect(ids({ graphs: ["admin"], versions: ["1"], tags: ["smoke"] })).toEqual(["a1-2"]);
    expect(ids({ tags: ["smoke"], examples: ["p2", "p3", "r2"] })).toEqual(["p2"]);
    // each kind alone would select something; together nothing fits
    expect(ids({ graphs: ["research"], tags: ["auth"] })).toEqual([]);
  });

  it("selects nothing for names that do not exist", () => {
    expect(ids({ graphs: ["nope"] })).toEqual([]);
    expect(ids({ versions: ["9"] })).toEqual([]);
  });
});

describe("planRun shards", () => {
  for (const total of [1, 2, 3, 4, 5, 13, 20]) {
    it(`${total} shard(s) partition the examples: disjoint, and together all of them`, () => {
      const shards = Array.from({ length: total }, (_, i) => ids({}, { index: i + 1, total }));
      const union = shards.flat();
      expect(union).toHaveLength(ALL.length);
      expect(new Set(union)).toEqual(new Set(ALL));
      // balanced: sizes differ by at most one
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    });
  }

  it("shards the filtered selection, not the whole dataset", () => {
    const smoke = ids({ tags: ["smoke"] });
    const a = ids({ tags: ["smoke"] }, { index: 1, total: 2 });
    const b = ids({ tags: ["smoke"] }, { index: 2, total: 2 });
    expect([...a, ...b].sort()).toEqual([...smoke].sort());
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it("gives the same shard whatever order the datasets were loaded in", () => {
    const shuffled = [DATASETS[2]!, DATASETS[0]!, DATASETS[3]!, DATASETS[1]!];
    for (let index = 1; index <= 3; index++) {
      const shard = { index, total: 3 };
      expect(planRun(shuffled, NO_FILTERS, shard).map((p) => p.example.id)).toEqual(ids({}, shard));
    }
  });
});

describe("parseShard", () => {
  it("reads index/total", () => {
    expect(parseShard("1/2")).toEqual({ index: 1, total: 2 });
    expect(parseShard("2/2")).toEqual({ index: 2, total: 2 });
    expect(parseShard(" 3/10 ")).toEqual({ index: 3, total: 10 });
  });

  it.each(["0/2", "3/2", "abc", "1/0", "0/0", "-1/2", "1.5/2", "1/", "/2", "1/2/3", ""])("rejects %j", (text) => {
    expect(parseShard(text)).toBeNull();
  });
});
