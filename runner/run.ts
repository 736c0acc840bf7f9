import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { availableParallelism } from "node:os";
import { relative, resolve } from "node:path";
import pLimit from "p-limit";
import { graphLlm, type ReporterName } from "../core/config.ts";
import { RECORDING_FORMAT, type Mode, type RecordedExchange } from "../core/recording.ts";
import type { Dataset, LocatedExample } from "../core/dataset.ts";
import type { ExampleResult, PlanIdentity, Report, RunEvent, RunInfo } from "../core/report.ts";
import type { ReporterContext } from "../core/reporter.ts";
import type { MultiReporter } from "../reports/index.ts";
import { foldReport } from "./fold.ts";
import { loadConfig, type LoadedConfig } from "./load-config.ts";
import { loadDatasets } from "./load-datasets.ts";
import { planRun, type Filters, type Shard } from "./plan.ts";
import { lockOutDir, type OutDirLock } from "./out-dir-lock.ts";
import { ProblemsError } from "./problems.ts";
import { listedRecordings, recordingPath, removeStaleTemporaryFiles, saveRecording } from "./recording-store.ts";
import { baselineTrials } from "./trials/baseline.ts";
import { foldTrials } from "./trials/verdict.ts";
import { runRedaction, type RunRedaction } from "./redaction.ts";
import { loadReplies } from "./load-replies.ts";
import { ScriptedEndpoint } from "./scripted-endpoint.ts";
import { guardNetwork } from "./network-guard.ts";
import { Tracer } from "./tracer.ts";
import type { RepliesFile } from "../core/replies.ts";
import { runReporters } from "./reporters.ts";
import { runExample, unrunResult, type TrialSink } from "./run-example.ts";
import { replayExample, taskFor } from "./pool/example-task.ts";
import { boundHeapGrowth } from "./heap-growth.ts";
import { replayThreads, startReplayPool, type ReplayPool } from "./pool/replay-pool.ts";
import { evalgateVersion, gitInfo } from "./run-info.ts";

export interface RunOptions {
  configPath: string;
  mode: Mode;
  filters: Filters;
  shard: Shard | null;
  strict: boolean;
  concurrency?: number;
  /** Replay's worker threads (eval.config.ts `workers`): "auto", 0 for the main thread only, or a count. */
  workers?: number | "auto";
  timeoutMs?: number;
  outDir?: string;
  reporters?: ReporterName[];
  /** Overrides llm.baseURL for record/live (a local OpenAI-compatible server, a proxy). */
  baseURL?: string;
  /** How the user runs evalgate, for the commands printed in hints ("pnpm eval"). */
  command: string;
  /** What record mode writes as the recordings' `source` (default: endpoint host and model). */
  recordingSource?: string;
  /** Record mode: re-record only what replay would miss, keeping every exchange that still matches. */
  stale?: boolean;
  /** Record mode: answer from each dataset's scripted replies on a loopback server instead of an endpoint. */
  replies?: boolean;
  /** Record mode: call only the judges, replaying the agent from its recordings (agent exchanges kept as they are). */
  judgeOnly?: boolean;
  /** Run every selected example this many times (overrides the datasets' `trials`). */
  trials?: number;
  /** A previous report (report.json or its out dir) whose trials each example's are tested against. */
  baseline?: string;
  env: NodeJS.ProcessEnv;
  stdout: ReporterContext["stdout"];
}

export interface RunResult {
  report: Report;
  loaded: LoadedConfig;
  outDir: string;
  reporter: MultiReporter;
  redaction: RunRedaction;
  /** Held until the caller has written everything into outDir. */
  lock: OutDirLock;
}

export const EVENTS_FILE = "events.jsonl";

/** Which run of an example this is, for examples that run more than once. */
type Trial = { index: number; of: number };

/** Default examples in flight per replay worker thread. */
const PER_THREAD = 4;

/**
 * Load → validate → plan → run examples under a concurrency limit → fold events into the report.
 * Every event is appended to <outDir>/events.jsonl as it happens, so a crash loses nothing that
 * finished and shards can be merged later by folding their event files.
 */
export async function runEval(opts: RunOptions): Promise<RunResult> {
  // Before any agent module loads: a client built at import time must see the guarded fetch too.
  guardNetwork(() => Tracer.active()?.network ?? null);
  const loaded = await loadConfig(opts.configPath);
  const { config, rootDir } = loaded;
  const { datasets, problems, files } = await loadDatasets(rootDir, config.datasets, loaded.agents);
  const rel = (abs: string) => relative(rootDir, abs).split("\\").join("/");
  if (problems.length) {
    throw new ProblemsError(`${problems.length} problem(s) in ${new Set(problems.map((p) => p.file)).size} dataset file(s)`, problems, `fix them, then run ${opts.command} again`);
  }
  if (files.length === 0) {
    throw new ProblemsError("no dataset files", [{ file: rel(loaded.file), line: 1, column: 1, path: "datasets", message: `the glob ${JSON.stringify(config.datasets)} matched no files` }], "add datasets/<graph>/v1.yaml or fix the glob");
  }
  const selected = planRun(datasets, opts.filters, null);
  if (selected.length === 0) throw noMatch(opts.filters, datasets.map((d) => `${d.graph}@v${d.version}`), opts.command);
  const planned = opts.shard ? planRun(datasets, opts.filters, opts.shard) : selected;

  if (opts.mode !== "replay" && !opts.replies) requireKeys(opts, loaded, planned.map((p) => p.dataset.graph), planned.some((p) => p.example.expect.judge !== undefined));
  let scripted: Scripted | null = null;
  if (opts.replies) {
    const { replies, problems: replyProblems } = await loadReplies(rootDir, new Set(planned.map((p) => p.dataset)));
    if (replyProblems.length) throw new ProblemsError("cannot author from scripted replies", replyProblems, `fix the replies files, then run ${opts.command} --record --replies again`);
    scripted = { endpoint: await ScriptedEndpoint.start(), replies };
  }
  const redaction = runRedaction(config, opts.env);
  const outDir = resolve(rootDir, opts.outDir ?? config.outDir);
  mkdirSync(outDir, { recursive: true });
  const lock = lockOutDir(outDir, `${opts.mode} run`);
  try {
    const removed = await removeStaleTemporaryFiles(datasets.map((d) => d.recordingsDir));
    if (removed.length) opts.stdout.write(`evalgate: removed ${removed.length} temporary recording file(s) left by an interrupted run: ${removed.map(rel).join(", ")}\n`);
    // Asked once: the fingerprint and the run info must name the same commit.
    const git = gitInfo(rootDir, opts.env);
    const identity = planIdentity(loaded.file, git, opts.filters, selected);
    const result = await execute(opts, loaded, planned, { identity, git }, outDir, redaction, scripted);
    return { ...result, loaded, outDir, redaction, lock };
  } catch (error) {
    lock.release();
    throw error;
  } finally {
    await scripted?.endpoint.stop();
  }
}

interface Scripted {
  endpoint: ScriptedEndpoint;
  replies: Map<Dataset, RepliesFile>;
}

type Planned = ReturnType<typeof planRun>;

async function execute(opts: RunOptions, loaded: LoadedConfig, planned: Planned, { identity, git }: { identity: PlanIdentity; git: RunInfo["git"] }, outDir: string, redaction: RunRedaction, scripted: Scripted | null): Promise<{ report: Report; reporter: MultiReporter }> {
  const { config, rootDir } = loaded;
  const rel = (abs: string) => relative(rootDir, abs).split("\\").join("/");
  const eventsFile = resolve(outDir, EVENTS_FILE);
  const reporter = runReporters(opts.reporters ?? config.reporters, { outDir, rootDir, env: opts.env, stdout: opts.stdout, command: opts.command, redactor: redaction.outside }, config, config.redact.local_pii);
  // The runner's own messages go after the example lines the console still holds back, not before them.
  const say = (text: string) => {
    reporter.flush?.();
    opts.stdout.write(text);
  };
  // Only what the report is folded from is kept; example-start events live in the file alone.
  const kept: RunEvent[] = [];
  // One open descriptor and whole lines. Each finished example is written before the run goes on,
  // with the starts buffered since the last write: a SIGKILL leaves a valid prefix that lacks only
  // the examples still running. (Waiting for a turn of the event loop was not enough: a replay that
  // never waits on I/O runs every example in one turn, and the whole log stayed in memory, unwritten.)
  const events = openSync(eventsFile, "w");
  let unwritten = "";
  const writeEvents = () => {
    if (!unwritten) return;
    const lines = unwritten;
    unwritten = "";
    writeSync(events, lines);
  };
  const emit = (event: RunEvent, line = JSON.stringify(event)) => {
    if (event.type !== "example-start") kept.push(event);
    if (!unwritten) setImmediate(writeEvents);
    unwritten += `${line}\n`;
    if (event.type !== "example-start") writeEvents();
    reporter.onEvent?.(event);
    // A replies file out of step with the agent is the author's to fix (the verdict stands on what
    // ran): said after the example's line, once for all its trials.
    if (event.type === "example-end" && scripted) {
      const ref = `${event.result.graph}@v${event.result.dataset_version}/${event.result.id}`;
      for (const problem of scripted.endpoint.problems(ref)) say(`evalgate: ${ref}: ${problem}\n`);
    }
  };
  // Replay on worker threads when the run is big enough to pay for them (runner/pool/replay-pool.ts).
  const replayOnly = opts.mode === "replay" && !scripted && !opts.baseURL;
  const workers = opts.workers ?? config.workers;
  const threads = replayOnly ? replayThreads(workers, planned.length) : 0;
  const concurrency = opts.concurrency ?? config.concurrency ?? (opts.mode === "replay" ? availableParallelism() : 8);
  // Examples in flight on each thread: the user's -j shared out, or enough to keep a thread busy.
  const perThread = threads ? (opts.concurrency ?? config.concurrency ? Math.max(1, Math.ceil(concurrency / threads)) : PER_THREAD) : 0;
  let pool: ReplayPool | null = null;
  const startThreads = async () => {
    pool = await startReplayPool({ configPath: loaded.file, env: opts.env, command: opts.command }, threads, perThread);
    emit({ type: "threads-started", workers: threads, per_thread: perThread });
  };
  const scope = { loaded, redaction, command: opts.command, recordingPresence: listedRecordings() };
  // A thread that dies takes its examples with it: each says so instead of vanishing from the report.
  const replayed = (dataset: Dataset, example: LocatedExample, timeoutMs: number, trial?: Trial, here = false) => {
    const task = taskFor(dataset, example, timeoutMs, trial);
    if (!pool || here) return replayExample(scope, task);
    // The threads first; the main thread takes what they have no room for. It yields to the event
    // loop before each of its own: a replay resolves on microtasks alone, and without a turn of the
    // loop the threads' results (and their next examples) would wait until the main thread ran dry.
    if (pool.full) return new Promise<void>((resolve) => setImmediate(resolve)).then(() => replayExample(scope, task));
    const ref = { dataset, example, command: opts.command, apiKeyEnv: graphLlm(config, dataset.graph).apiKeyEnv };
    return pool.run(task).catch((error: unknown) => redaction.local.value(unrunResult(ref, `the worker thread replaying it failed: ${error instanceof Error ? error.message : String(error)}`)));
  };
  try {
    const run: RunInfo = {
      evalgate_version: evalgateVersion(),
      mode: opts.mode,
      strict: opts.strict,
      shard: opts.shard,
      filters: { ...opts.filters },
      git,
      config_file: rel(loaded.file),
      concurrency,
      prompt_hashes: {},
    };
    const inPlan = new Set(planned.map((p) => p.dataset));
    emit({
      type: "run-start",
      run,
      started_at: new Date().toISOString(),
      planned: planned.length,
      datasets: [...inPlan].map((d) => ({ graph: d.graph, version: d.version, file: d.file, description: redaction.local.string(d.description), examples: planned.filter((p) => p.dataset === d).length })),
      plan: identity,
    });
    boundHeapGrowth(planned.length);
    const limit = pLimit(concurrency);
    const recordings = { written: 0, unchanged: 0, "not written": 0 };
    const baseline = opts.baseline ? baselineTrials(opts.baseline) : null;
    const judgeFor = (llmBaseURL: string) => config.judge
      ? { config: config.judge, apiKey: opts.mode === "replay" ? "" : scripted ? "scripted-replies-no-key" : opts.env[config.judge.apiKeyEnv] ?? "", baseURL: scripted ? llmBaseURL : opts.baseURL ?? config.judge.baseURL }
      : undefined;
    /** One run of one example (one trial of it, with `trial`), redacted; `here`: on the main thread even when threads run. */
    const runOnce = async (dataset: Dataset, example: LocatedExample, { trial, trialSink, here = false }: { trial?: Trial; trialSink?: TrialSink; here?: boolean } = {}): Promise<ExampleResult> => {
      const timeoutMs = opts.timeoutMs ?? config.timeoutMs;
      if (replayOnly) return replayed(dataset, example, timeoutMs, trial, here);
      const ref = `${dataset.graph}@v${dataset.version}/${example.id}`;
      const llm = { ...graphLlm(config, dataset.graph), ...(opts.baseURL ? { baseURL: opts.baseURL } : {}) };
      if (scripted) llm.baseURL = scripted.endpoint.baseURLFor(ref, scripted.replies.get(dataset)?.examples[example.id], dataset.repliesFile ? rel(dataset.repliesFile) : null);
      const judge = judgeFor(llm.baseURL);
      const result = await runExample({
        agent: loaded.agents.get(dataset.graph)!,
        dataset,
        example,
        mode: opts.mode,
        llm,
        // The scripted endpoint wants no key; the SDK wants one that is obviously not a secret.
        apiKey: opts.mode === "replay" ? "" : scripted ? "scripted-replies-no-key" : opts.env[llm.apiKeyEnv] ?? "",
        pricing: config.pricing,
        timeoutMs,
        projectRelative: rel,
        command: opts.command,
        ...(opts.recordingSource ? { recordingSource: opts.recordingSource } : {}),
        ...(scripted && dataset.repliesFile ? { recordingSource: `scripted replies: ${rel(dataset.repliesFile)} (${llm.model})` } : {}),
        ...(opts.stale ? { stale: true } : {}),
        ...(scripted || opts.baseURL ? { forwardTo: llm.baseURL } : {}),
        allowHosts: config.replay.allow_hosts,
        onRecording: (outcome) => recordings[outcome]++,
        ...(scripted ? { onKept: (body: unknown) => scripted.endpoint.consume(ref, JSON.stringify(body)), stillValid: (body: unknown, recorded: unknown) => scripted.endpoint.stillScripted(ref, body, recorded) } : {}),
        recordingFilter: redaction.recording,
        ...(judge ? { judge } : {}),
        ...(opts.judgeOnly ? { judgeOnly: true } : {}),
        ...(trial ? { trial } : {}),
        ...(trialSink ? { trialSink } : {}),
        retries429: config.trials.max_retries_429,
      });
      // Redacted once, here, so events.jsonl, report.json, JUnit, the summary and the console all see the same clean result.
      return redaction.local.value(result);
    };
    const start = (dataset: Dataset, example: LocatedExample) => emit({ type: "example-start", graph: dataset.graph, dataset_version: dataset.version, id: example.id });
    const once = (p: Planned[number]) => (opts.trials ?? p.example.trials ?? p.dataset.trials ?? 1) === 1 && p.example.pass_rate === undefined && !baseline;
    const onMain = (p: Planned[number]) => limit(async () => {
      start(p.dataset, p.example);
      emit({ type: "example-end", result: await runOnce(p.dataset, p.example, { here: true }) });
    });
    // With threads, examples that run once go to them in chunks, and the main thread only logs
    // and reports: one hand-off per chunk, each result back as its events.jsonl line. A count of
    // threads starts them at once; "auto" first times a sample on the main thread and starts them
    // only when the rest would take long enough to repay a thread's start (its own module loading).
    const single = threads ? planned.filter(once) : [];
    const chunkHooks: ChunkHooks = { perThread, timeoutMs: opts.timeoutMs ?? config.timeoutMs, start, emit, onMain, unrun: (p, reason) => redaction.local.value(unrunResult({ ...p, command: opts.command, apiKeyEnv: graphLlm(config, p.dataset.graph).apiKeyEnv }, `the worker thread replaying it failed: ${reason}`)) };
    const threaded = async (): Promise<void> => {
      let list = single;
      if (workers === "auto") {
        // Timed in batches, and the fastest batch counts: the first examples also pay for loading
        // modules and compiling the hot code, which the rest will not.
        let fastest = Number.POSITIVE_INFINITY;
        for (let batch = 0; batch < AUTO_SAMPLE / AUTO_BATCH && list.length; batch++) {
          const sampled = list.slice(0, AUTO_BATCH);
          list = list.slice(sampled.length);
          const began = performance.now();
          await Promise.all(sampled.map(onMain));
          fastest = Math.min(fastest, (performance.now() - began) / sampled.length);
        }
        const expectedMs = fastest * list.length;
        if (expectedMs < THREADS_PAY_OFF_MS) {
          await Promise.all(list.map(onMain));
          return;
        }
      }
      if (!pool) await startThreads();
      await replayInChunks(pool!, list, chunkHooks);
    };
    // A count of threads serves trials too, one task per trial.
    if (threads && workers !== "auto") await startThreads();
    const rest = threads ? planned.filter((p) => !once(p)) : planned;
    await Promise.all([single.length ? threaded() : Promise.resolve(), ...rest.map(({ dataset, example }) => {
      const k = opts.trials ?? example.trials ?? dataset.trials ?? 1;
      if (k === 1 && example.pass_rate === undefined && !baseline) return onMain({ dataset, example });
      // Trials share the concurrency limit with everything else; the example's row waits for all k.
      start(dataset, example);
      return runTrials(k, dataset, example, (trial, sink) => limit(() => runOnce(dataset, example, { trial, ...(sink ? { trialSink: sink } : {}) }))).then((results) => {
        const key = `${dataset.graph}@v${dataset.version}/${example.id}`;
        emit({ type: "example-end", result: foldTrials(results, { pass: example.pass, pass_rate: example.pass_rate }, config.trials, baseline?.get(key) ?? null, opts.strict) });
      });
    })]);
    /** Runs k trials; in record mode, writes the recording once, holding every trial's exchanges. */
    async function runTrials(k: number, dataset: Dataset, example: LocatedExample, one: (trial: Trial, sink?: TrialSink) => Promise<ExampleResult>): Promise<ExampleResult[]> {
      const byTrial: (RecordedExchange[] | undefined)[] = new Array(k);
      let unchanged = 0;
      const sinkFor = (index: number) => (opts.mode === "record" ? (exchanges: RecordedExchange[], same: boolean) => { byTrial[index] = exchanges; if (same) unchanged++; } : undefined);
      const results = await Promise.all(Array.from({ length: k }, (_, index) => one({ index, of: k }, sinkFor(index))));
      if (opts.mode === "record") {
        if (unchanged === k) recordings.unchanged++;
        else if (byTrial.every((e) => e !== undefined)) {
          await saveRecording(recordingPath(dataset.recordingsDir, example.id), {
            format: RECORDING_FORMAT,
            graph: dataset.graph,
            dataset_version: dataset.version,
            example: example.id,
            source: opts.recordingSource ?? `${new URL(opts.baseURL ?? graphLlm(config, dataset.graph).baseURL).hostname} ${graphLlm(config, dataset.graph).model}, ${k} trials`,
            recorded_at: new Date().toISOString(),
            exchanges: byTrial.flat() as RecordedExchange[],
          });
          recordings.written++;
        } else recordings["not written"]++;
      }
      return results;
    }
    if (opts.mode === "record") {
      // What the run did to the datasets tree, so nobody has to ask git status.
      const keptNote = recordings.unchanged ? `, ${recordings.unchanged} left as they were (every exchange still matched)` : "";
      const failed = recordings["not written"] ? `, ${recordings["not written"]} not written (the endpoint failed, the example timed out, or the agent failed where a recording stood)` : "";
      say(`evalgate: --record wrote ${recordings.written} recording file(s)${keptNote}${failed}\n`);
    }
    emit({ type: "run-end", finished_at: new Date().toISOString() });
    return { report: foldReport(kept), reporter };
  } finally {
    writeEvents();
    closeSync(events);
    await (pool as ReplayPool | null)?.close();
  }
}

/** Examples per hand-off to a thread: enough to make the hand-off cheap, few enough to keep every thread busy to the end. */
const MAX_CHUNK = 32;

/** Examples "auto" times on the main thread before it decides on threads, in batches of AUTO_BATCH. */
const AUTO_SAMPLE = 100;
const AUTO_BATCH = 25;

/**
 * Threads start when the examples left would keep the main thread busy this long. Measured on 2
 * cores: threads cut 10,000 and 5,000 three-call examples (13 s and 6 s of main-thread work) by a
 * third, and 5,000 one-call replays (about 2.5 s) by a tenth or more; 1,000 replays and 5,000
 * plain-function examples (under 1 s) lost time with one thread. Two replays at once ran at
 * 1.3–1.5× the time of one on that machine, so threads repay only long runs.
 */
const THREADS_PAY_OFF_MS = 3_000;

interface ChunkHooks {
  perThread: number;
  timeoutMs: number;
  start(dataset: Dataset, example: LocatedExample): void;
  emit(event: RunEvent, line?: string): void;
  /** The row of an example whose thread died before it replied. */
  unrun(p: Planned[number], reason: string): ExampleResult;
  /** Runs one example on the main thread (while the threads start). */
  onMain(p: Planned[number]): Promise<void>;
}

/**
 * Deals `planned` to the pool's threads in chunks taken from one queue, two chunks per thread at a
 * time. Each result arrives as its events.jsonl line and is logged as is; the examples of a chunk
 * whose thread died become errors that say so.
 */
async function replayInChunks(pool: ReplayPool, planned: Planned, hooks: ChunkHooks): Promise<void> {
  const size = Math.max(1, Math.min(MAX_CHUNK, Math.ceil(planned.length / (pool.threads * 8))));
  let next = 0;
  // Until the first result comes back the threads are still loading the agents: the main thread
  // replays from the same queue meanwhile, so their start costs no wall time.
  let warm = false;
  const take = (n: number) => planned.slice(next, (next += n));
  const thread = async () => {
    for (let chunk = take(size); chunk.length; chunk = take(size)) {
      for (const { dataset, example } of chunk) hooks.start(dataset, example);
      const { missing, reason } = await pool.runChunk(chunk.map(({ dataset, example }) => taskFor(dataset, example, hooks.timeoutMs)), hooks.perThread, ({ line }) => {
        warm = true;
        hooks.emit(JSON.parse(line) as RunEvent, line);
      });
      for (const index of missing) hooks.emit({ type: "example-end", result: hooks.unrun(chunk[index]!, reason) });
    }
  };
  const main = async () => {
    while (!warm && next < planned.length) {
      await Promise.all(take(hooks.perThread).map(hooks.onMain));
      // A turn of the event loop, or the threads' first results could never be seen.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  // Two chunks per thread at a time: one running, one waiting behind it.
  await Promise.all([...Array.from({ length: pool.threads * 2 }, thread), main()]);
}

/**
 * The same for every shard of one plan (see PlanIdentity): computed from the whole selection,
 * before the shard is dealt, so shard 2/3 and shard 3/3 agree exactly when they read the same inputs.
 */
export function planIdentity(configFile: string, git: { sha: string | null }, filters: Filters, selected: ReadonlyArray<{ dataset: Dataset; example: LocatedExample }>): PlanIdentity {
  const hash = createHash("sha256");
  hash.update(`git ${git.sha ?? "-"}\n`);
  hash.update(`config ${createHash("sha256").update(readFileSync(configFile)).digest("hex")}\n`);
  hash.update(`filters ${JSON.stringify(filters)}\n`);
  for (const { dataset, example } of selected) hash.update(`${dataset.file} ${dataset.contentHash} ${example.id}\n`);
  return { fingerprint: hash.digest("hex").slice(0, 32), selected: selected.length };
}

function requireKeys(opts: RunOptions, loaded: LoadedConfig, graphs: string[], judged: boolean): void {
  // --judge-only replays the agents: only the judge's endpoint is called.
  const agentKeys = opts.judgeOnly ? [] : graphs.map((g) => graphLlm(loaded.config, g).apiKeyEnv);
  const judgeKeys = judged && loaded.config.judge ? [loaded.config.judge.apiKeyEnv] : [];
  const envNames = [...new Set([...agentKeys, ...judgeKeys])];
  const missing = envNames.filter((name) => !opts.env[name]);
  if (missing.length) {
    const path = agentKeys.includes(missing[0]!) ? "llm.apiKeyEnv" : "judge.apiKeyEnv";
    throw new ProblemsError(`--${opts.mode} calls the LLM endpoint and needs a key`, [{ file: relative(process.cwd(), loaded.file) || loaded.file, line: 1, column: 1, path, message: `environment variable ${missing.join(", ")} is not set` }], `export ${missing[0]}=… and run again, or drop --${opts.mode} to replay recordings`);
  }
}

function noMatch(filters: Filters, available: string[], command: string): ProblemsError {
  const given = Object.entries(filters).filter(([, v]) => v.length).map(([k, v]) => `${k}=${v.join(",")}`).join(" ");
  return new ProblemsError("no example matches the filters", [{ file: "command line", line: 0, column: 0, path: "", message: `nothing matched ${given}; datasets: ${available.join(", ")}` }], `${command} list shows the graphs, versions, tags and example ids`);
}
