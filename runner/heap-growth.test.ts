import { afterEach, describe, expect, it } from "vitest";
import { BOUNDED_HEAP_FROM_EXAMPLES, boundHeapGrowth } from "./heap-growth.ts";

describe("boundHeapGrowth", () => {
  const execArgv = process.execArgv;
  afterEach(() => {
    process.execArgv = execArgv;
  });

  it("bounds the heaps' growth for long runs only", () => {
    expect(boundHeapGrowth(BOUNDED_HEAP_FROM_EXAMPLES - 1)).toBe(false);
    expect(boundHeapGrowth(BOUNDED_HEAP_FROM_EXAMPLES)).toBe(true);
  });

  it("leaves a growth given on node's command line alone", () => {
    process.execArgv = [...execArgv, "--heap-growing-percent=25"];
    expect(boundHeapGrowth(10_000)).toBe(false);
    process.execArgv = [...execArgv, "--heap_growing_percent=25"];
    expect(boundHeapGrowth(10_000)).toBe(false);
  });
});
