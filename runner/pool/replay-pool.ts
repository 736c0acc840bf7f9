import { availableParallelism } from "node:os";
import { MessageChannel } from "node:worker_threads";
import type { ExampleResult } from "../../core/report.ts";
import type { ExampleTask } from "./example-task.ts";
import type { ChunkDone, ChunkResult, ChunkTask, WorkerSetup } from "./example-worker.ts";

/**
 * Replay on every core: a fixed pool of worker threads (piscina), each with its own copy of the
 * agents. Examples that run once go to the threads in chunks while the main thread logs and
 * reports; trials run one per task, on the main thread too whenever the threads are full. A thread
 * costs a config and agent load (a few hundred ms), so small runs stay on the main thread alone,
 * where that load has already been paid.
 */
export interface ReplayPool {
  readonly threads: number;
  /** Every thread has its share of examples in flight: the next one is better run on the main thread. */
  readonly full: boolean;
  run(task: ExampleTask): Promise<ExampleResult>;
  /**
   * Replays `tasks` on one thread, handing each result to `onResult` (as its events.jsonl line) as
   * soon as it is done. Resolves once every task has a result, or with the indices of those that
   * have none and why (the thread died).
   */
  runChunk(tasks: ExampleTask[], inFlight: number, onResult: (result: ChunkResult) => void): Promise<{ missing: number[]; reason: string }>;
  close(): Promise<void>;
}

/** Below this many examples, "auto" never considers threads: a thread's start costs more than it saves. */
export const AUTO_MIN_EXAMPLES = 1_000;

/**
 * `workers` as configured ("auto" or a count of threads; 0 keeps every example on the main thread)
 * → threads to start. With threads the main thread only logs and reports, so "auto" gives every
 * core but one a thread: one on two cores, where a second thread (three busy threads on two cores)
 * was no faster in wall time on 5,000 one-call and 10,000 three-call replays, and cost a quarter
 * more CPU and 120–130 MB more memory. "auto" still starts them only after a timed sample says
 * they will pay (runner/run.ts, THREADS_PAY_OFF_MS).
 */
export function replayThreads(workers: number | "auto", examples: number, cores = availableParallelism()): number {
  if (workers !== "auto") return workers;
  if (cores < 2 || examples < AUTO_MIN_EXAMPLES) return 0;
  return cores - 1;
}

export async function startReplayPool(setup: WorkerSetup, threads: number, perThread: number): Promise<ReplayPool> {
  // Loaded only by runs that use threads: a small run should not pay for the pool at start-up.
  const { Piscina } = await import("piscina");
  // The worker is a sibling module: .ts when evalgate runs from source, .js from the package.
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const pool = new Piscina<ExampleTask | ChunkTask, ExampleResult | number>({
    filename: new URL(`./example-worker${ext}`, import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: perThread,
    // Every task is queued by the caller's own limits (two chunks per thread, -j for trials); a
    // bounded queue here would turn a task sent while the threads still start into a failure.
    maxQueue: Number.POSITIVE_INFINITY,
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
      return (pool.run(task) as Promise<ExampleResult>).finally(() => inFlight--);
    },
    runChunk: (tasks, perChunk, onResult) => {
      const { port1, port2 } = new MessageChannel();
      const done = new Set<number>();
      let over: () => void = () => {};
      const allSent = new Promise<void>((resolve) => (over = resolve));
      port1.on("message", (message: ChunkResult | ChunkDone) => {
        if ("done" in message) return over();
        done.add(message.index);
        onResult(message);
      });
      // Over when the thread says so (after every result, on the same port), or when it fails.
      const failed = pool.run({ tasks, port: port2, inFlight: perChunk } satisfies ChunkTask, { name: "replayChunk", transferList: [port2] }).then(
        () => allSent.then(() => null),
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      return Promise.race([allSent.then(() => null), failed]).then((failure) => {
        port1.close();
        const missing = tasks.map((_, index) => index).filter((index) => !done.has(index));
        return { missing, reason: failure ?? "the worker thread stopped before it replied" };
      });
    },
    close: () => pool.destroy(),
  };
}
