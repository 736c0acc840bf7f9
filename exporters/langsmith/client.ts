import { devNull } from "node:os";
import type { Client as LangSmithClient } from "langsmith";
import { NameTakenError, type CreatedExperiment, type ExampleRecord, type FeedbackRecord, type JsonObject, type LangSmithGateway, type RunRecord } from "./types.ts";

/**
 * The only module that touches the `langsmith` SDK. It is loaded lazily (after the /info
 * probe), configured explicitly, and every request it makes goes through `boundedFetch`, which
 * ties it to the upload deadline and watches trace uploads the SDK would otherwise only log.
 */

export interface GatewayOptions {
  apiUrl: string;
  apiKey: string;
  webUrl?: string;
  /** Per-request bound: past it the request fails for good (no SDK retry), so a stalled server costs this once. */
  requestTimeoutMs: number;
  /** Aborted when the upload's time is up: every in-flight and later request fails at once. */
  deadline: AbortSignal;
  /** When the deadline falls (epoch ms), to decide whether a Retry-After can be honoured. */
  deadlineAt: number;
}

type IngestArgs = Parameters<LangSmithClient["multipartIngestRuns"]>[0];
type SdkRunCreate = NonNullable<IngestArgs["runCreates"]>[number];
type SdkFeedback = NonNullable<IngestArgs["feedbacks"]>[number];

/** Examples per multipart request (the SDK then reads each one back). */
const EXAMPLE_BATCH = 100;

export async function openGateway(options: GatewayOptions): Promise<LangSmithGateway> {
  const { Client } = await import("langsmith");
  const watch = new IngestWatch();
  const client = new Client({
    apiUrl: options.apiUrl,
    apiKey: options.apiKey,
    ...(options.webUrl !== undefined && { webUrl: options.webUrl }),
    // Nothing from the environment or the home directory: no profile file (reading /dev/null
    // yields no profile), no workspace header, no env vars copied into run metadata, no
    // LANGSMITH_HIDE_* or sampling or OTEL mode switched on from outside.
    profileConfigPath: devNull,
    workspaceId: "",
    omitTracedRuntimeInfo: true,
    hideInputs: false,
    hideOutputs: false,
    hideMetadata: false,
    tracingSamplingRate: 1,
    tracingMode: "langsmith",
    // Runs are sent explicitly with multipartIngestRuns, so nothing queues in the background.
    autoBatchTracing: false,
    disablePromptCache: true,
    debug: false,
    // The SDK's own timeout stays behind ours, so the reason given is evalgate's (which names the setting).
    timeout_ms: options.requestTimeoutMs + 1_000,
    // Only the trace-ingest caller honours this (the SDK pins its main caller at 4 retries):
    // two retries (about 1-2 s, then 2-4 s) keep a refused batch inside the upload bound.
    callerOptions: { maxRetries: 2 },
    fetchImplementation: boundedFetch(options, watch),
  });
  return new SdkGateway(client, watch);
}

/** Counts accepted trace uploads: the SDK only console.warns when one is refused. */
class IngestWatch {
  accepted = 0;
  lastProblem: string | undefined;

  observe(url: string, outcome: Response | Error): void {
    const path = new URL(url).pathname;
    if (!/\/runs\/(multipart|batch)$/.test(path)) return;
    if (outcome instanceof Error) this.lastProblem = `POST ${path}: ${outcome.message}`;
    else if (outcome.ok) this.accepted++;
    else this.lastProblem = `POST ${path} answered ${outcome.status}`;
  }
}

/** Longest Retry-After evalgate waits out; the server's wish beyond the upload bound ends the upload instead. */
const MAX_RETRY_AFTER_MS = 10_000;

function boundedFetch(options: Pick<GatewayOptions, "deadline" | "deadlineAt" | "requestTimeoutMs">, watch: IngestWatch): typeof fetch {
  const { deadline } = options;
  // A message starting with "AbortError" is what the SDK's retry loop treats as final, so
  // once the deadline passes no request is retried (and no backoff timer is left behind).
  const final = (why: string) => new Error(`AbortError: ${why}`);
  return async (input, init) => {
    if (deadline.aborted) throw final("the LangSmith upload ran out of time");
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const what = `${init?.method ?? "GET"} ${new URL(url).pathname}`;
    const perRequest = AbortSignal.timeout(options.requestTimeoutMs);
    const signal = AbortSignal.any([...(init?.signal ? [init.signal] : []), deadline, perRequest]);
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal });
    } catch (error) {
      if (deadline.aborted) throw final("the LangSmith upload ran out of time");
      const problem = perRequest.aborted ? final(`LangSmith did not answer ${what} within ${options.requestTimeoutMs} ms (langsmith.requestTimeoutMs); the results are on disk, retry with \`evalgate upload <report.json>\``) : error instanceof Error ? error : new Error(String(error));
      watch.observe(url, problem);
      throw problem;
    }
    watch.observe(url, response);
    if (response.status === 429 || response.status === 503) await honourRetryAfter(response, what, options, final);
    return response;
  };
}

/**
 * The SDK retries 429 and 503 on its own schedule; waiting out the server's Retry-After first
 * means no retry comes sooner than asked. A wait that would not fit in the upload bound ends the
 * upload at once, with the reason, instead of hammering the server until the bound.
 */
async function honourRetryAfter(response: Response, what: string, options: Pick<GatewayOptions, "deadline" | "deadlineAt">, final: (why: string) => Error): Promise<void> {
  const header = response.headers.get("retry-after");
  if (header === null) return;
  const seconds = Number(header);
  const waitMs = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  if (!Number.isFinite(waitMs) || waitMs <= 0) return;
  const left = options.deadlineAt - Date.now();
  if (waitMs > Math.min(MAX_RETRY_AFTER_MS, left - 500)) {
    throw final(`LangSmith answered ${what} with ${response.status} and Retry-After: ${header}, which does not fit in the upload bound (${Math.max(0, Math.round(left / 1000))} s left); upload later with \`evalgate upload <report.json>\``);
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    options.deadline.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

class SdkGateway implements LangSmithGateway {
  private readonly client: LangSmithClient;
  private readonly watch: IngestWatch;
  /** Trace uploads run one at a time so each can be matched with its accepted response. */
  private ingestQueue: Promise<unknown> = Promise.resolve();

  constructor(client: LangSmithClient, watch: IngestWatch) {
    this.client = client;
    this.watch = watch;
  }

  hostUrl(): string {
    return this.client.getHostUrl();
  }

  async findOrCreateDataset(name: string, details: { description: string; metadata: JsonObject }): Promise<{ id: string; created: boolean }> {
    const existing = await this.readDatasetByName(name);
    if (existing) return { id: existing, created: false };
    try {
      const dataset = await this.client.createDataset(name, { description: details.description, metadata: details.metadata });
      return { id: dataset.id, created: true };
    } catch (error) {
      // Another shard created it between our read and our create.
      if (!hasStatus(error, 409)) throw error;
      const raced = await this.readDatasetByName(name);
      if (!raced) throw error;
      return { id: raced, created: false };
    }
  }

  private async readDatasetByName(name: string): Promise<string | undefined> {
    try {
      return (await this.client.readDataset({ datasetName: name })).id;
    } catch (error) {
      if (error instanceof Error && /not found/i.test(error.message)) return undefined;
      throw error;
    }
  }

  async listExamples(datasetId: string): Promise<ExampleRecord[]> {
    const out: ExampleRecord[] = [];
    for await (const example of this.client.listExamples({ datasetId })) {
      out.push({ id: example.id, inputs: example.inputs ?? {}, outputs: example.outputs ?? {}, metadata: example.metadata ?? {} });
    }
    return out;
  }

  async createExamples(datasetId: string, examples: ExampleRecord[]): Promise<void> {
    for (const batch of chunks(examples, EXAMPLE_BATCH)) {
      await this.client.createExamples(batch.map((e) => ({ id: e.id, dataset_id: datasetId, inputs: e.inputs, reference_outputs: e.outputs, metadata: e.metadata })));
    }
  }

  async updateExamples(datasetId: string, examples: ExampleRecord[]): Promise<void> {
    for (const batch of chunks(examples, EXAMPLE_BATCH)) {
      await this.client.updateExamples(batch.map((e) => ({ id: e.id, dataset_id: datasetId, inputs: e.inputs, outputs: e.outputs, metadata: e.metadata })));
    }
  }

  async createExperiment(details: { name: string; datasetId: string; description: string; metadata: JsonObject }): Promise<CreatedExperiment> {
    try {
      const session = await this.client.createProject({
        projectName: details.name,
        referenceDatasetId: details.datasetId,
        description: details.description,
        metadata: details.metadata,
      });
      return { id: session.id, name: session.name ?? details.name, ...(session.tenant_id && { tenantId: session.tenant_id }) };
    } catch (error) {
      if (hasStatus(error, 409)) throw new NameTakenError(`an experiment named ${details.name} already exists`);
      throw error;
    }
  }

  ingest(runs: RunRecord[], feedback: FeedbackRecord[]): Promise<void> {
    const next = this.ingestQueue.then(() => this.ingestNow(runs, feedback));
    this.ingestQueue = next.catch(() => undefined);
    return next;
  }

  private async ingestNow(runs: RunRecord[], feedback: FeedbackRecord[]): Promise<void> {
    const acceptedBefore = this.watch.accepted;
    this.watch.lastProblem = undefined;
    const feedbacks = feedback.map((f) => ({ ...f, feedback_source: { type: "api", metadata: { source: "evalgate" } } }));
    try {
      await this.client.multipartIngestRuns({
        runCreates: runs as SdkRunCreate[],
        // The multipart part carries session_id like createFeedback({traceId, sessionId}) does;
        // the SDK's FeedbackCreate type predates that field.
        feedbacks: feedbacks as unknown as SdkFeedback[],
      });
    } catch (error) {
      // Servers without /runs/multipart: the older JSON batch endpoint, and feedback one by one.
      if (!hasStatus(error, 404)) throw error;
      await this.client.batchIngestRuns({ runCreates: runs as SdkRunCreate[] });
      for (const f of feedback) {
        await this.client.createFeedback({
          runId: f.run_id,
          key: f.key,
          score: f.score,
          ...(f.value !== undefined && { value: f.value }),
          ...(f.comment !== undefined && { comment: f.comment }),
          feedbackId: f.id,
          sessionId: f.session_id,
          startTime: f.start_time,
          sourceInfo: { source: "evalgate" },
        });
      }
      return;
    }
    if (this.watch.accepted === acceptedBefore) {
      throw new Error(`LangSmith did not accept ${runs.length} runs and ${feedback.length} feedback (${this.watch.lastProblem ?? "no successful response"})`);
    }
  }

  async closeExperiment(experiment: CreatedExperiment, details: { description: string; metadata: JsonObject; endTime: Date }): Promise<void> {
    await this.client.updateProject(experiment.id, { name: experiment.name, description: details.description, metadata: details.metadata, endTime: details.endTime.toISOString() });
  }

  dispose(): void {
    this.client.cleanup();
  }
}

function hasStatus(error: unknown, status: number): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { status?: unknown }).status === status) return true;
  return error.message.includes(`status [${status}]`);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
