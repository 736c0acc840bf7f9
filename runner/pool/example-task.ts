import { relative } from "node:path";
import { graphLlm } from "../../core/config.ts";
import type { Dataset, LocatedExample } from "../../core/dataset.ts";
import type { ExampleResult } from "../../core/report.ts";
import type { LoadedConfig } from "../load-config.ts";
import type { RecordingPresence } from "../recording-store.ts";
import type { RunRedaction } from "../redaction.ts";
import { runExample } from "../run-example.ts";

/**
 * One replayed example as a message: what a worker thread needs to run it, all plain data. The
 * dataset travels without its examples (the worker needs only where it lives and how it is named).
 */
export interface ExampleTask {
  dataset: Omit<Dataset, "examples">;
  example: LocatedExample;
  timeoutMs: number;
  /** Which trial, for examples that run more than once. */
  trial?: { index: number; of: number };
}

/** What a replaying thread holds for the whole run: the user's config and agents, and the run's redaction. */
export interface ReplayScope {
  loaded: LoadedConfig;
  redaction: RunRedaction;
  command: string;
  recordingPresence: RecordingPresence;
}

/**
 * Replays one example and returns its result redacted for local files, the same whether it runs on
 * the main thread or on a worker: both call this.
 */
export async function replayExample(scope: ReplayScope, task: ExampleTask): Promise<ExampleResult> {
  const turn = eventLoopTurnDue();
  if (turn) await turn;
  const { loaded, redaction } = scope;
  const { config, rootDir } = loaded;
  const dataset: Dataset = { ...task.dataset, examples: [] };
  const result = await runExample({
    agent: loaded.agents.get(dataset.graph)!,
    dataset,
    example: task.example,
    mode: "replay",
    llm: graphLlm(config, dataset.graph),
    apiKey: "",
    pricing: config.pricing,
    timeoutMs: task.timeoutMs,
    projectRelative: (abs) => relative(rootDir, abs).split("\\").join("/"),
    command: scope.command,
    allowHosts: config.replay.allow_hosts,
    recordingFilter: redaction.recording,
    recordingPresence: scope.recordingPresence,
    ...(config.judge ? { judge: { config: config.judge, apiKey: "", baseURL: config.judge.baseURL } } : {}),
    ...(task.trial ? { trial: task.trial } : {}),
  });
  // Redacted where it was produced, so events.jsonl, report.json and every reporter see one clean result.
  return redaction.local.value(result);
}

/** Examples replayed between two turns of the event loop. */
const EXAMPLES_PER_TURN = 16;
let sinceTurn = 0;
let pendingTurn: Promise<void> | null = null;

/**
 * Every EXAMPLES_PER_TURN examples, a promise of the next turn of the event loop, which every example
 * that starts meanwhile waits for too. A replay waits on no I/O, so without it a whole run (or a
 * worker's chunk) was one JavaScript job, and V8 keeps every object a WeakRef was made to or read
 * from in a job alive until the job ends: LangChain's and the OpenAI SDK's AbortSignals, Node's own
 * weak references. A thread's live heap grew by 40 MB over 5,000 examples. The job ends only when
 * every example in flight waits, hence one promise for all; a turn for each example cost a tenth
 * of a plain-function run's time.
 */
function eventLoopTurnDue(): Promise<void> | null {
  if (pendingTurn) return pendingTurn;
  if (++sinceTurn < EXAMPLES_PER_TURN) return null;
  sinceTurn = 0;
  pendingTurn = new Promise<void>((resolve) =>
    setImmediate(() => {
      pendingTurn = null;
      resolve();
    }),
  );
  return pendingTurn;
}

export function taskFor(dataset: Dataset, example: LocatedExample, timeoutMs: number, trial?: { index: number; of: number }): ExampleTask {
  const { examples: _examples, ...where } = dataset;
  return { dataset: where, example, timeoutMs, ...(trial ? { trial } : {}) };
}
