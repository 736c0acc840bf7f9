import v8 from "node:v8";
import { runInNewContext } from "node:vm";

/** Runs this long keep their heaps close to what they hold alive (see boundHeapGrowth). */
export const BOUNDED_HEAP_FROM_EXAMPLES = 2_000;

/** How far past what survived the last full collection a heap may grow before the next one. */
const HEAP_GROWING_PERCENT = 60;

/**
 * A long replay makes garbage fast and keeps little of it (each example's result, once), and V8
 * lets a heap grow to up to four times what survived its last full collection before collecting
 * again: 10,000 three-call replays peaked at 700 MB while the heaps held 200 MB alive. Growing by
 * 60 % instead peaked at 430 MB in about the same time (bench/scale-bench.ts). It costs more
 * collections, so it is set only for long runs, once loading is over (at start-up it cost 50 ms).
 * The flag is the process's and read at every collection, so it serves the main thread and every
 * worker thread. A value given on node's command line wins.
 */
export function boundHeapGrowth(examples: number): boolean {
  if (examples < BOUNDED_HEAP_FROM_EXAMPLES) return false;
  if (process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent/.test(arg))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  collectNow();
  return true;
}

/**
 * A heap's next limit is set at its full collections: one now puts the bounded growth in force on
 * the main thread at once. Without it the main thread went on to the limit set while the datasets
 * were read (four times what it then held: 570 MB instead of 430 for 10,000 examples).
 */
function collectNow(): void {
  v8.setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as unknown;
  v8.setFlagsFromString("--no-expose-gc");
  if (typeof gc === "function") gc();
}
