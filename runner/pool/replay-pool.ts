import { availableParallelism } from "node:os";
import type { ExampleResult } from "../../core/report.ts";
import type { ExampleTask } from "./example-task.ts";
import type { WorkerSetup } from "./example-worker.ts";

/**
 * Replay on every core: a fixed pool of worker threads (piscina), each with its own copy of the
 * agents, beside the main thread, which runs examples too whenever the threads are full. A thread
 * costs a config and agent load (a few hundred ms), so small runs stay on the main thread alone,
 * where that load has already been paid.
 */
export interface ReplayPool {
  readonly threads: number;
  /** Every thread has its share of examples in flight: the next one is better run on the main thread. */
  readonly full: boolean;
  run(task: ExampleTask): Promise<ExampleResult>;
  close(): Promise<void>;
}

/** Below this many examples per thread, starting the thread costs more than it saves. */
export const EXAMPLES_PER_THREAD = 1_000;

/**
 * Cores "auto" leaves to the main thread: it runs examples too, and its garbage collector, file
 * writes and reporters keep a second core busy. Measured on 2 cores with the peer harness, one
 * thread beside the main thread made every run slower (1.02–1.19× the wall time at 1,000 and
 * 5,000 examples, 1.3–1.5× the CPU), so "auto" starts none there.
 */
const CORES_KEPT_FOR_MAIN = 2;

/**
 * `workers` as configured ("auto" or a count of threads beside the main thread; 0 keeps every
 * example on the main thread) → threads to start.
 */
export function replayThreads(workers: number | "auto", examples: number, cores = availableParallelism()): number {
  if (workers !== "auto") return workers;
  return Math.max(0, Math.min(cores - CORES_KEPT_FOR_MAIN, Math.floor(examples / EXAMPLES_PER_THREAD)));
}

export async function startReplayPool(setup: WorkerSetup, threads: number, perThread: number): Promise<ReplayPool> {
  // Loaded only by runs that use threads: a small run should not pay for the pool at start-up.
  const { Piscina } = await import("piscina");
  // The worker is a sibling module: .ts when evalgate runs from source, .js from the package.
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const pool = new Piscina<ExampleTask, ExampleResult>({
    filename: new URL(`./example-worker${ext}`, import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: perThread,
    // Every task is queued by the caller's own limit; the pool's queue only smooths hand-offs.
    maxQueue: "auto",
    workerData: setup,
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  let inFlight = 0;
  return {
    threads,
    get full() {
      return inFlight >= threads * perThread;
    },
    run: (task) => {
      inFlight++;
      return pool.run(task).finally(() => inFlight--);
    },
    close: () => pool.destroy(),
  };
}
