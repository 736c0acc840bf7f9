import module from "node:module";
import { workerData } from "node:worker_threads";
module.enableCompileCache?.();
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

let scope: Promise<ReplayScope> | null = null;

async function setUp(setup: WorkerSetup): Promise<ReplayScope> {
  // Before any agent module loads, as on the main thread: a client built at import time is guarded too.
  guardNetwork(() => Tracer.active()?.network ?? null);
  const loaded = await loadConfig(setup.configPath);
  return { loaded, redaction: runRedaction(loaded.config, setup.env), command: setup.command, recordingPresence: listedRecordings() };
}

export default async function replay(task: ExampleTask) {
  scope ??= setUp(workerData as WorkerSetup);
  return replayExample(await scope, task);
}
