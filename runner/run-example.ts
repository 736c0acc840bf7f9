import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { ChatOpenAI } from "@langchain/openai";
import type { Agent, AgentContext, AgentOutput, ModelChoice } from "../core/agent.ts";
import type { JudgeConfig, LlmEndpoint, ModelPrice } from "../core/config.ts";
import type { Dataset, LocatedExample } from "../core/dataset.ts";
import { RECORDING_FORMAT, type Mode, type RecordedExchange, type RecordingFile } from "../core/recording.ts";
import type { ExampleResult, Usage } from "../core/report.ts";
import { ATTR, type Span } from "../core/trace.ts";
import { scoreExample } from "../scorers/table.ts";
import { sharedChatModel, sharedEmbeddings } from "./chat-clients.ts";
import { judgeExample } from "./gate.ts";
import { judgeChecksOf, runJudges } from "./judge.ts";
import { createLlmTransport, RecordingMiss, type LlmTransport } from "./llm-transport.ts";
import { priceCall } from "./pricing.ts";
import { loadRecording, recordingPath, saveRecording, type RecordingPresence } from "./recording-store.ts";
import { thrownAt } from "./thrown-at.ts";
import { recordedTools } from "./tool-dispatcher.ts";
import { Tracer } from "./tracer.ts";

export interface ExampleRunOptions {
  agent: Agent;
  dataset: Dataset;
  example: LocatedExample;
  mode: Mode;
  llm: LlmEndpoint;
  /** The key for record/live mode; replay never needs one. */
  apiKey: string;
  pricing: Record<string, ModelPrice>;
  timeoutMs: number;
  /** A path relative to the project root, for messages (recording files, where an error was thrown). */
  projectRelative: (abs: string) => string;
  /** How the user invokes evalgate ("pnpm eval"), for the commands printed in hints. */
  command: string;
  /** What record mode writes as the recordings' `source` (default: endpoint host and model). */
  recordingSource?: string;
  /** The recordings filter (runner/redaction.ts). */
  recordingFilter?: (value: unknown) => unknown;
  /** Record mode: keep every exchange whose request still matches, call the endpoint only for the rest. */
  stale?: boolean;
  /** Record mode with reuse: told about each call answered from the recording. */
  onKept?: (body: unknown) => void;
  /** Record mode with reuse: whether a matching recorded answer may be kept. */
  stillValid?: (body: unknown, recordedResponse: unknown) => boolean;
  /** Record/live: where every LLM call goes, whichever client made it (--replies, --base-url). */
  forwardTo?: string;
  /** Record mode: told, per example, whether its recording file was written or left as it was. */
  onRecording?: (outcome: "written" | "unchanged" | "not written") => void;
  /** Hosts replay lets the agent reach (replay.allow_hosts). */
  allowHosts?: readonly string[];
  /** Trials: which run of the example this is (0-based) and how many it gets. */
  trial?: { index: number; of: number };
  /** Record mode with trials: takes this trial's exchanges; the caller writes the file once every trial is in. */
  trialSink?: TrialSink;
  /** The judge of `expect.judge` checks: config `judge`, its key, and where its calls go in record/live. */
  judge?: { config: JudgeConfig; apiKey: string; baseURL: string };
  /** Record mode: replay the agent from its recording and call only the judges. */
  judgeOnly?: boolean;
  /** Record/live: retries of a call answered with HTTP 429. */
  retries429?: number;
  /** Replay: which recording files exist (one folder listing instead of a failed open per example). */
  recordingPresence?: RecordingPresence;
}

/** Used in replay so the OpenAI SDK is satisfied; it never leaves the process. */
const REPLAY_KEY = "evalgate-replay-placeholder";

/** Takes one trial's exchanges, and whether --stale kept every one of them as recorded. */
export type TrialSink = (exchanges: RecordedExchange[], unchanged: boolean) => void;

class ExampleTimeout extends Error {
  override readonly name = "ExampleTimeout";
}

/**
 * Runs one example through its agent with a fresh context (LLM transport, recorded tools, tracer),
 * scores the output and compares it with the expected pass flag. Never throws: anything that goes
 * wrong becomes this example's error so the rest of the run goes on.
 */
export async function runExample(opts: ExampleRunOptions): Promise<ExampleResult> {
  const { agent, dataset, example, mode } = opts;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const ref = `${dataset.graph}@v${dataset.version}/${example.id}`;
  const where = `${dataset.file}:${example.line}`;
  const recFile = recordingPath(dataset.recordingsDir, example.id);
  const recFileRel = opts.projectRelative(recFile);
  const rerecord = rerecordCommandFor(opts.command, dataset, example.id, opts.llm.apiKeyEnv);
  const rerecordCommand = `${rerecord.command}${rerecord.note}`;

  const loaded = mode === "replay" || (mode === "record" && (opts.stale || opts.judgeOnly)) ? await loadRecording(recFile, { graph: dataset.graph, dataset_version: dataset.version, example: example.id }, mode === "replay" ? opts.recordingPresence : undefined) : null;
  const trial = opts.trial ?? { index: 0, of: 1 };
  // Each trial replays its own exchanges, and the judges theirs: an agent never gets a judge's answer.
  const recordingOf = (role: "agent" | "judge"): RecordingFile | null => loaded?.kind === "found"
    ? { ...loaded.file, exchanges: loaded.file.exchanges.filter((e) => (e.trial ?? 0) === trial.index && (e.role === "judge") === (role === "judge")) }
    : null;
  const judgeChecks = judgeChecksOf(example);
  const tracer = new Tracer();
  const transport = createLlmTransport({
    mode: opts.judgeOnly ? "replay" : mode,
    baseURL: opts.llm.baseURL,
    apiKey: opts.apiKey,
    recording: recordingOf("agent"),
    ...(opts.retries429 !== undefined ? { retries429: opts.retries429 } : {}),
    ...(mode === "record" && opts.stale ? { reuse: true } : {}),
    ...(opts.onKept ? { onKept: (req: { body: unknown }) => opts.onKept!(req.body) } : {}),
    ...(opts.stillValid ? { stillValid: (req: { body: unknown }, exchange: { response: { body: unknown } }) => opts.stillValid!(req.body, exchange.response.body) } : {}),
    ...(opts.forwardTo ? { forwardTo: opts.forwardTo } : {}),
    recordingProblem: loaded?.kind === "invalid" ? `recording file is invalid: ${loaded.message}` : loaded?.kind === "missing" ? "no recording file" : null,
    recordingFile: recFileRel,
    exampleRef: ref,
    rerecordCommand,
    tracer,
    ...(opts.recordingFilter ? { filter: opts.recordingFilter } : {}),
    price: (call) => priceCall(call, opts.pricing).costUsd,
  });
  const judgeRerecord = `${opts.command} --record --judge-only${opts.trial && opts.trial.of > 1 ? ` --trials ${opts.trial.of}` : ""} --graph ${dataset.graph} --dataset-version ${dataset.version} --example ${example.id}${opts.judge ? ` (calls judge.baseURL with $${opts.judge.config.apiKeyEnv})` : ""}`;
  const judgeTransport = judgeChecks.length && opts.judge ? createLlmTransport({
    mode,
    baseURL: opts.judge.baseURL,
    apiKey: opts.judge.apiKey,
    recording: recordingOf("judge"),
    ...(opts.retries429 !== undefined ? { retries429: opts.retries429 } : {}),
    // --stale keeps a judge's answer while its request (rubric, model, answer) is unchanged; --judge-only asks again.
    ...(mode === "record" && opts.stale && !opts.judgeOnly ? { reuse: true } : {}),
    ...(opts.onKept ? { onKept: (req: { body: unknown }) => opts.onKept!(req.body) } : {}),
    ...(opts.stillValid ? { stillValid: (req: { body: unknown }, exchange: { response: { body: unknown } }) => opts.stillValid!(req.body, exchange.response.body) } : {}),
    recordingProblem: loaded?.kind === "invalid" ? `recording file is invalid: ${loaded.message}` : loaded?.kind === "missing" ? "no recording file" : null,
    recordingFile: recFileRel,
    exampleRef: `the judge of ${ref}`,
    rerecordCommand: judgeRerecord,
    tracer,
    ...(opts.recordingFilter ? { filter: opts.recordingFilter } : {}),
    price: (call) => priceCall(call, opts.pricing).costUsd,
  }) : null;
  const client = (model: string, temperature: number): ChatOpenAI =>
    sharedChatModel({ model, temperature, apiKey: mode === "replay" || opts.judgeOnly ? REPLAY_KEY : opts.apiKey, baseURL: opts.llm.baseURL, timeoutMs: opts.llm.requestTimeoutMs });
  const model = (choice: ModelChoice): ChatOpenAI => {
    const { model: name, temperature = opts.llm.temperature } = typeof choice === "string" ? { model: choice } : choice;
    return client(name, temperature);
  };
  const refused: string[] = [];
  tracer.network = { mode, llmFetch: transport.fetch, allowHosts: opts.allowHosts ?? [], refuse: (what) => refused.push(what) };
  const tools = recordedTools(example.tools, tracer, where);
  const controller = new AbortController();
  const timeoutMs = example.timeout_ms ?? opts.timeoutMs;

  let output: AgentOutput | null = null;
  let failure: ExampleResult["error"];
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = tracer.span(`agent_run:${dataset.graph}`, "agent", { "evalgate.example": ref, "evalgate.max_steps": agent.maxSteps ?? null }, (root) => {
      const ctx: AgentContext = {
        // A getter: the client (and the OpenAI SDK behind it) is made only for agents that use it.
        get llm() {
          return client(opts.llm.model, opts.llm.temperature);
        },
        model,
        embeddings: (name) => sharedEmbeddings({ model: name, apiKey: mode === "replay" || opts.judgeOnly ? REPLAY_KEY : opts.apiKey, baseURL: opts.llm.baseURL, timeoutMs: opts.llm.requestTimeoutMs }),
        tools,
        root,
        span: (name, kind, attributes, fn) => tracer.span(name, kind, attributes, fn),
        signal: controller.signal,
        example: { id: example.id, graph: dataset.graph, version: dataset.version },
      };
      return agent.run(agent.input.parse(example.input), ctx);
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ExampleTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    output = await Promise.race([run, timeout]);
    const root = tracer.spans[0];
    if (root && output) root.attributes[ATTR.answer] = output.answer;
  } catch (error) {
    if (error instanceof ExampleTimeout) controller.abort(error);
    failure = describeFailure(error, timeoutMs, where, opts.projectRelative);
  } finally {
    clearTimeout(timer);
  }
  // A miss or an unrecorded tool call makes the run unjudgeable even if the agent swallowed the error.
  const miss = transport.miss;
  if (refused.length) {
    // A call that went around the replay: whatever the agent made of its failure proves nothing.
    failure = {
      kind: "network_call",
      message: `${refused[0]}${refused.length > 1 ? ` (and ${refused.length - 1} more: ${[...new Set(refused.slice(1))].join("; ")})` : ""}`,
      hint: "replay answers only LLM calls; record the call as a tool (ctx.tools.call) or allow its host in eval.config.ts: replay: { allow_hosts: [...] }",
    };
  } else if (miss) failure = { kind: "recording_miss", message: miss.message, hint: miss.hint };
  else if (tools.unexpected) failure = { kind: "unexpected_tool_call", message: tools.unexpected.message };
  // The endpoint's refusal is the cause; the agent's exception about it is only the symptom.
  else if ((failure === undefined || failure.kind === "agent_error") && transport.endpointFailures.length) failure = { kind: "endpoint_error", message: `the LLM endpoint failed: ${countedOnce(transport.endpointFailures)}` };
  // A client that retries a refused connection or a 5xx until the example's time is up: the cause is the endpoint, not a hang.
  else if (failure?.kind === "timeout" && transport.endpointFailures.length) {
    failure = {
      kind: "endpoint_error",
      message: `the LLM endpoint failed: ${countedOnce(transport.endpointFailures)}; the agent's client kept retrying until the example's ${timeoutMs} ms were up`,
      hint: `check that the endpoint is up (${opts.llm.baseURL}, or --base-url), or lower the client's retries`,
    };
  }
  else if (failure === undefined && mode === "replay") {
    // Fewer or other calls than were recorded: the agent's path changed, and the recording no
    // longer describes this run even if the answer still passes.
    const unused = transport.unusedExchanges();
    if (unused.length) {
      failure = {
        kind: "recording_unused",
        message: `${unused.length} recorded LLM exchange(s) of ${recFileRel} were never requested (${unused.map((i) => `#${i + 1}`).join(", ")} of ${loaded?.kind === "found" ? loaded.file.exchanges.length : 0}): the agent made fewer or different calls than when it was recorded`,
        hint: `the agent's path changed since the recording (a prompt, tool or control-flow edit); re-record only this example: ${rerecordCommand}`,
      };
    }
  }
  const recordedTrials = loaded?.kind === "found" && loaded.file.exchanges.length ? Math.max(...loaded.file.exchanges.map((e) => (e.trial ?? 0))) + 1 : null;
  if (!failure && mode === "replay" && recordedTrials !== null && recordedTrials !== trial.of) {
    // Replaying fewer trials than were recorded would judge a different sample than the one on disk.
    failure = {
      kind: "recording_trials",
      message: `${recFileRel} holds ${recordedTrials} recorded trial(s), but this run asks for ${trial.of}`,
      hint: recordedTrials > trial.of ? `run with --trials ${recordedTrials} (or set trials: ${recordedTrials} on the example or its dataset)` : `record the trials: ${opts.command} --record --trials ${trial.of} --graph ${dataset.graph} --dataset-version ${dataset.version} --example ${example.id}`,
    };
  }
  if (failure) output = null;

  // Budgets and steps count the agent's own calls; the judges' come after and are traced apart.
  const agentSpans = [...tracer.spans];
  const { usage, cost } = usageOf(agentSpans, mode === "replay" || opts.judgeOnly === true);
  const scores = output ? scoreExample({ output, spans: agentSpans, example }) : [];
  if (output && judgeChecks.length) {
    if (!judgeTransport) {
      failure = { kind: "config_error", message: `${where} sets expect.judge, but eval.config.ts has no judge`, hint: "add judge: { model, baseURL, apiKeyEnv } to eval.config.ts" };
    } else {
      try {
        const judging = () => runJudges({ checks: judgeChecks, example, output: output!, spans: agentSpans, config: opts.judge!.config, fetch: judgeTransport.fetch, baseURL: opts.judge!.baseURL, apiKey: mode === "replay" ? REPLAY_KEY : opts.judge!.apiKey, tracer });
        // The judges grade this run, so their spans hang under its agent_run.
        scores.push(...(await (agentSpans[0] ? tracer.within(agentSpans[0].id, judging) : judging())));
      } catch (error) {
        if (!(error instanceof RecordingMiss)) throw error;
      }
      const unusedJudge = mode === "replay" ? judgeTransport.unusedExchanges() : [];
      if (judgeTransport.miss) failure = { kind: "judge_miss", message: judgeTransport.miss.message, hint: `the judge's request changed (its rubric, model or the answer it grades); re-record only the judge: ${judgeRerecord}` };
      else if (judgeTransport.endpointFailures.length) failure = { kind: "endpoint_error", message: `the judge endpoint failed: ${judgeTransport.endpointFailures.join("; ")}` };
      else if (unusedJudge.length) failure = { kind: "recording_unused", message: `${unusedJudge.length} recorded judge exchange(s) of ${recFileRel} were never requested: the example has fewer judges than when it was recorded`, hint: `re-record only the judge: ${judgeRerecord}` };
    }
    if (failure) output = null;
  }

  const previous = loaded?.kind === "found" ? loaded.file : null;
  // --stale: a recording whose every exchange, the agent's and the judges', was kept and used is already right; leave the file alone.
  const allKept = (t: LlmTransport | null, recorded: RecordingFile | null): boolean => (t === null ? 0 : t.captured.length) === (recorded?.exchanges.length ?? 0) && (t === null || t.kept === t.captured.length);
  const unchanged = !opts.judgeOnly && previous !== null && recordedTrials === trial.of && allKept(transport, recordingOf("agent")) && allKept(judgeTransport, recordingOf("judge"));
  // --judge-only keeps the agent's exchanges as they are on disk, and writes only when the judges got answers.
  const judgeOnlyBlocked = opts.judgeOnly === true && (failure !== undefined || judgeTransport === null);
  // An agent that fails (a bug, a missing key of its own) would replace a good recording with what it
  // got to before failing, often nothing: the recording stands, and the error says how to replace it.
  const keepPrevious = mode === "record" && failure?.kind === "agent_error" && !opts.judgeOnly && (previous !== null || existsSync(recFile));
  if (keepPrevious && failure) {
    failure = { ...failure, hint: `${failure.hint ? `${failure.hint}; ` : ""}${recFileRel} was left as it was: fix the agent and record again, or delete the file to record this failing run` };
  }
  // Trials are written together by the caller, so a trial left unchanged still hands its exchanges over.
  if (mode === "record" && transport.endpointFailures.length === 0 && failure?.kind !== "timeout" && (!unchanged || opts.trialSink) && !judgeOnlyBlocked && !keepPrevious) {
    const agentExchanges = opts.judgeOnly ? recordingOf("agent")!.exchanges : transport.captured;
    const tag = (e: RecordedExchange, role?: "judge"): RecordedExchange => ({ ...e, ...(role ? { role } : {}), ...(trial.of > 1 ? { trial: trial.index } : {}) });
    const exchanges = [...agentExchanges.map((e) => tag(e)), ...(judgeTransport?.captured ?? []).map((e) => tag(e, "judge"))];
    const file: RecordingFile = {
      format: RECORDING_FORMAT,
      graph: dataset.graph,
      dataset_version: dataset.version,
      example: example.id,
      // No port or other machine detail: the same endpoint and model must write the same source.
      source: opts.recordingSource ?? `${new URL(opts.llm.baseURL).hostname} ${opts.llm.model}`,
      recorded_at: new Date().toISOString(),
      // --judge-only: the other trials' exchanges stay too.
      exchanges: opts.judgeOnly && previous ? [...previous.exchanges.filter((e) => (e.trial ?? 0) !== trial.index), ...exchanges] : exchanges,
    };
    if (opts.trialSink) opts.trialSink(exchanges, unchanged);
    else {
      await saveRecording(recFile, file);
      opts.onRecording?.("written");
    }
  } else if (mode === "record") {
    opts.onRecording?.(unchanged ? "unchanged" : "not written");
  }

  const spans = tracer.spans;
  // Judging is money spent on this example too, though not the agent's steps or budget.
  const judgeCost = usageOf(spans.slice(agentSpans.length), true).cost;
  const totalCost = cost === null || judgeCost === null ? null : Math.round((cost + judgeCost) * 1e8) / 1e8;
  // The seed's agent_run outputs: the trace overview answers "how many steps, tokens, dollars".
  if (spans[0]) Object.assign(spans[0].attributes, { [ATTR.steps]: usage.llm_calls, [ATTR.totalTokens]: usage.total_tokens, "evalgate.total_cost_usd": totalCost });
  if (trial.of > 1 && spans[0]) spans[0].attributes["evalgate.trial"] = trial.index + 1;
  const outcome = failure ? "error" : scores.every((s) => s.pass) ? "pass" : "fail";
  return resultOf({ dataset, example, command: opts.command, apiKeyEnv: opts.llm.apiKeyEnv }, {
    startedAt,
    outcome,
    failure,
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    output,
    scores,
    usage,
    cost: totalCost,
    spans,
  });
}

interface ExampleRef {
  dataset: Dataset;
  example: LocatedExample;
  /** How the user invokes evalgate, for the re-record command. */
  command: string;
  apiKeyEnv: string;
}

/** The report row of one example: what it is, where it lives, what happened and the judged verdict. */
function resultOf({ dataset, example, command, apiKeyEnv }: ExampleRef, run: { startedAt: string; outcome: ExampleResult["outcome"]; failure: ExampleResult["error"]; durationMs: number; output: AgentOutput | null; scores: ExampleResult["scores"]; usage: Usage; cost: number | null; spans: Span[] }): ExampleResult {
  const judged = judgeExample(example, run.outcome, run.scores);
  return {
    started_at: run.startedAt,
    graph: dataset.graph,
    dataset_version: dataset.version,
    id: example.id,
    file: dataset.file,
    line: example.line,
    column: example.column,
    tags: example.tags,
    ...(example.description ? { description: example.description } : {}),
    expected_pass: example.pass ?? true,
    outcome: run.outcome,
    verdict: judged.verdict,
    rerecord_command: rerecordCommandFor(command, dataset, example.id, apiKeyEnv).command,
    ...(judged.note ? { verdict_note: judged.note } : {}),
    ...(run.failure ? { error: run.failure } : {}),
    duration_ms: run.durationMs,
    input: example.input,
    expect: example.expect as Record<string, unknown>,
    output: run.output,
    scores: run.scores,
    usage: run.usage,
    cost_usd: run.cost,
    spans: run.spans,
  };
}

/**
 * The result of an example that never got to run to the end (its worker thread died): an error,
 * judged like any other, so the gate cannot pass on what was not checked.
 */
export function unrunResult(ref: ExampleRef, message: string): ExampleResult {
  return resultOf(ref, {
    startedAt: new Date().toISOString(),
    outcome: "error",
    failure: { kind: "agent_error", message, hint: "run it alone with --workers 0 to see the agent's own error" },
    durationMs: 0,
    output: null,
    scores: [],
    usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0, llm_calls: 0, recorded: true },
    cost: null,
    spans: [],
  });
}

/**
 * The command that re-records only this example: through the dataset's scripted replies when it
 * has them (no key, nothing leaves the machine), else against the configured endpoint.
 */
function rerecordCommandFor(command: string, dataset: Dataset, id: string, apiKeyEnv: string): { command: string; note: string } {
  const select = `--graph ${dataset.graph} --dataset-version ${dataset.version} --example ${id}`;
  return dataset.repliesFile ? { command: `${command} --record --replies --stale ${select}`, note: "" } : { command: `${command} --record --stale ${select}`, note: ` (calls llm.baseURL with $${apiKeyEnv})` };
}

function describeFailure(error: unknown, timeoutMs: number, where: string, relativePath: (absolute: string) => string): NonNullable<ExampleResult["error"]> {
  if (error instanceof ExampleTimeout) {
    return { kind: "timeout", message: `the agent gave no answer within ${timeoutMs} ms`, hint: `raise timeout_ms on the example at ${where} or timeoutMs in eval.config.ts, or look for a hang in the agent` };
  }
  if (error instanceof RecordingMiss) return { kind: "recording_miss", message: error.message, hint: error.hint };
  const err = error instanceof Error ? error : new Error(String(error));
  const at = thrownAt(err.stack, relativePath);
  return { kind: "agent_error", message: `${err.name}: ${err.message}`, ...(at ? { hint: `thrown at ${at}` } : {}) };
}

/** Each distinct failure once, with how often it happened: a retrying client repeats the same one. */
function countedOnce(failures: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const failure of failures) counts.set(failure, (counts.get(failure) ?? 0) + 1);
  return [...counts].map(([failure, n]) => (n > 1 ? `${failure} (${n} times)` : failure)).join("; ");
}

function usageOf(spans: readonly Span[], recorded: boolean): { usage: Usage; cost: number | null } {
  const usage: Usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0, llm_calls: 0, recorded };
  let cost: number | null = 0;
  for (const span of spans) {
    // An embedding is not a step, but it is spent money.
    if (span.kind === "embedding" && span.attributes[ATTR.costUsd] !== undefined) {
      const c = span.attributes[ATTR.costUsd];
      cost = typeof c === "number" && cost !== null ? cost + c : null;
      continue;
    }
    // A call that got no answer (a replay miss) is not an LLM call in the usage figures.
    if (span.kind !== "llm" || span.attributes[ATTR.inputTokens] === undefined) continue;
    usage.llm_calls++;
    usage.input_tokens += Number(span.attributes[ATTR.inputTokens] ?? 0);
    usage.output_tokens += Number(span.attributes[ATTR.outputTokens] ?? 0);
    const c = span.attributes[ATTR.costUsd];
    cost = typeof c === "number" && cost !== null ? cost + c : null;
  }
  usage.total_tokens = usage.input_tokens + usage.output_tokens;
  return { usage, cost: cost === null ? null : Math.round(cost * 1e8) / 1e8 };
}
