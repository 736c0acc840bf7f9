import module from "node:module";
import { workerData, type MessagePort } from "node:worker_threads";
import pLimit from "p-limit";
import { loadConfig } from "../load-config.ts";
import { guardNetwork } from "../network-guard.ts";
import { listedRecordings } from "../recording-store.ts";
import { runRedaction } from "../redaction.ts";
import { Tracer } from "../tracer.ts";
import { replayExample, type ExampleTask, type ReplayScope } from "./example-task.ts";

/**
 * A worker thread of the replay pool: it loads the user's config and agents once (its own modules,
 * its own clients, its own network guard) and replays the examples it is handed.
 */
export interface WorkerSetup {
  configPath: string;
  env: NodeJS.ProcessEnv;
  command: string;
}

// The static imports above are loaded by now; the compile cache serves what this thread loads next:
// the user's config and agents, LangChain and the OpenAI SDK (each thread compiles its own).
module.enableCompileCache?.();

async function setUp(setup: WorkerSetup): Promise<ReplayScope> {
  // Before any agent module loads, as on the main thread: a client built at import time is guarded too.
  guardNetwork(() => Tracer.active()?.network ?? null);
  const loaded = await loadConfig(setup.configPath);
  return { loaded, redaction: runRedaction(loaded.config, setup.env), command: setup.command, recordingPresence: listedRecordings() };
}

// Set up as soon as the thread starts, not when the first task arrives; a failure is each task's.
const scope = setUp(workerData as WorkerSetup);
scope.catch(() => {});

export default async function replay(task: ExampleTask) {
  return replayExample(await scope, task);
}

/** Examples handed over together; each result goes back through `port` the moment it is ready. */
export interface ChunkTask {
  tasks: ExampleTask[];
  port: MessagePort;
  /** Examples of the chunk run at once. */
  inFlight: number;
}

/** One result of a chunk: which task, and its events.jsonl line (serialised here, off the main thread). */
export interface ChunkResult {
  index: number;
  line: string;
}

/** The last message of a chunk: every result was sent before it, on the same port. */
export interface ChunkDone {
  done: true;
}

/**
 * Replays a chunk of examples: one hand-off for many examples instead of one each, with every
 * result streamed back as its own message, so the main thread logs it as soon as it is done, and a
 * last message saying the chunk is over (messages on one port arrive in order).
 */
export async function replayChunk({ tasks, port, inFlight }: ChunkTask): Promise<number> {
  try {
    const ready = await scope;
    const limit = pLimit(inFlight);
    await Promise.all(tasks.map((task, index) => limit(async () => {
      const result = await replayExample(ready, task);
      port.postMessage({ index, line: JSON.stringify({ type: "example-end", result }) } satisfies ChunkResult);
    })));
    port.postMessage({ done: true } satisfies ChunkDone);
    return tasks.length;
  } finally {
    port.close();
  }
}
