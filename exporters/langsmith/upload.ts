import { randomBytes } from "node:crypto";
import type { Report } from "../../core/report.ts";
import { createRedactor, redactReport } from "../../core/redact.ts";
import { exampleStartTimes, exampleTrace } from "../trace-tree.ts";
import { openGateway } from "./client.ts";
import {
  examplesToSync,
  exampleRecord,
  experimentDescription,
  experimentMetadata,
  experimentName,
  planDatasets,
  planTrace,
  type DatasetPlan,
  type PlannedTrace,
} from "./plan.ts";
import { multipartExamplesSupported, probeServer } from "./probe.ts";
import { NameTakenError, type CreatedExperiment, type ExperimentLink, type LangSmithGateway, type UploadOptions, type UploadResult } from "./types.ts";

/**
 * Uploads a finished report as LangSmith experiments: during a run and from
 * `evalgate upload <report.json>` alike. Fail-open by contract: it never throws, and it
 * returns within `timeoutMs` whatever the server does (a probe of GET /info first, then a
 * hard deadline that also aborts every request still in flight).
 */

const PROBE_TIMEOUT_MS = 2_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 3_000;
/** Runs + feedback per trace upload, and a size bound well under LangSmith's 20 MB batch limit. */
const INGEST_MAX_ITEMS = 1_000;
const INGEST_MAX_BYTES = 8 * 1024 * 1024;

interface Progress {
  experiments: ExperimentLink[];
  trace_urls: Record<string, string>;
}

export async function uploadReport(report: Report, options: UploadOptions): Promise<UploadResult> {
  const progress: Progress = { experiments: [], trace_urls: {} };
  const log = safeLog(options.log);
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<UploadResult>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort();
      resolve(failure(progress, `LangSmith upload did not finish within ${options.timeoutMs} ms (langsmith.timeoutMs); the results are on disk, retry with \`evalgate upload <report.json>\``));
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([upload(report, options, deadline.signal, progress, log), outOfTime]);
  } catch (error) {
    return failure(progress, errorMessage(error));
  } finally {
    clearTimeout(timer);
    // Anything the SDK still has in flight (or would retry) fails fast from here on.
    deadline.abort();
  }
}

async function upload(report: Report, options: UploadOptions, deadline: AbortSignal, progress: Progress, log: (line: string) => void): Promise<UploadResult> {
  let apiUrl: string;
  try {
    apiUrl = new URL(options.apiUrl).href.replace(/\/+$/, "");
  } catch {
    return failure(progress, `LangSmith API URL ${JSON.stringify(options.apiUrl)} is not a URL; set langsmith.endpoint in eval.config.ts`);
  }
  if (!options.apiKey) return failure(progress, "no LangSmith API key was given");
  if (report.examples.length === 0) return failure(progress, "the report has no examples to upload");

  // Redaction first: nothing below sees the unredacted report.
  const clean = redactReport(report, createRedactor({ patterns: options.redact, secrets: options.secrets ?? [], patternsField: "langsmith.redact" }));

  const probe = await probeServer(apiUrl, Math.min(PROBE_TIMEOUT_MS, options.timeoutMs), deadline);
  if (!probe.ok) return failure(progress, `${probe.error}; the results are on disk, retry with \`evalgate upload <report.json>\``);
  if (!multipartExamplesSupported(probe.info)) {
    return failure(progress, `LangSmith at ${apiUrl} (version ${probe.info.version ?? "unknown"}) does not enable multipart dataset examples (instance_flags.dataset_examples_multipart_enabled), which langsmith 0.12 requires; upgrade the deployment`);
  }

  const gateway = await openGateway({ apiUrl, apiKey: options.apiKey, ...(options.webUrl !== undefined && { webUrl: options.webUrl }), requestTimeoutMs: Math.min(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, options.timeoutMs), deadline, deadlineAt: Date.now() + options.timeoutMs });
  try {
    const starts = exampleStartTimes(clean);
    const plans = planDatasets(clean);
    const outcomes = await Promise.all(
      plans.map((plan) =>
        uploadDataset(plan, clean, gateway, starts, options, progress, log).then(
          () => undefined,
          (error: unknown) => `${plan.name}: ${explain(error)}`,
        ),
      ),
    );
    const errors = outcomes.filter((e): e is string => e !== undefined);
    // Report order, whatever order the parallel uploads finished in.
    progress.experiments.sort((a, b) => plans.findIndex((p) => p.name === a.dataset) - plans.findIndex((p) => p.name === b.dataset));
    if (errors.length > 0) return failure(progress, errors.join("; "));
    const first = progress.experiments[0];
    return {
      uploaded: true,
      ...(first && { experiment_id: first.experiment_id }),
      ...(first?.experiment_url && { experiment_url: first.experiment_url }),
      experiments: progress.experiments,
      trace_urls: progress.trace_urls,
    };
  } finally {
    gateway.dispose();
  }
}

async function uploadDataset(
  plan: DatasetPlan,
  report: Report,
  gateway: LangSmithGateway,
  starts: Map<string, number>,
  options: UploadOptions,
  progress: Progress,
  log: (line: string) => void,
): Promise<void> {
  const dataset = await gateway.findOrCreateDataset(plan.name, {
    description: plan.description,
    metadata: { source: "evalgate", graph: plan.graph, version: plan.version, file: plan.file },
  });
  const desired = plan.examples.map(exampleRecord);
  const sync = examplesToSync(desired, await gateway.listExamples(dataset.id));
  if (sync.create.length > 0) await gateway.createExamples(dataset.id, sync.create);
  if (sync.update.length > 0) await gateway.updateExamples(dataset.id, sync.update);
  log(`LangSmith: dataset ${plan.name} ${dataset.created ? "created" : "found"}; examples: ${sync.create.length} added, ${sync.update.length} updated, ${sync.unchanged} unchanged`);

  const description = experimentDescription(plan, report);
  const metadata = experimentMetadata(plan, report);
  const experiment = await createExperiment(gateway, options.experimentPrefix, plan, report, dataset.id, description, metadata);
  const host = gateway.hostUrl();
  const link: ExperimentLink = {
    dataset: plan.name,
    dataset_id: dataset.id,
    experiment_id: experiment.id,
    experiment_name: experiment.name,
    ...(experiment.tenantId && { experiment_url: `${host}/o/${experiment.tenantId}/datasets/${dataset.id}/compare?selectedSessions=${experiment.id}` }),
    traces: 0,
  };
  progress.experiments.push(link);

  const close = () => gateway.closeExperiment(experiment, { description, metadata, endTime: new Date() });
  try {
    const traces = plan.examples.map((example) =>
      planTrace(example, exampleTrace(example, starts.get(`${plan.name}/${example.id}`) ?? Date.parse(report.started_at)), {
        experimentId: experiment.id,
        experimentName: experiment.name,
      }),
    );
    for (const batch of ingestBatches(traces)) {
      await gateway.ingest(batch.flatMap((t) => t.runs), batch.flatMap((t) => t.feedback));
      for (const trace of batch) {
        link.traces++;
        if (experiment.tenantId) progress.trace_urls[trace.key] = `${host}/o/${experiment.tenantId}/projects/p/${experiment.id}/r/${trace.rootRunId}?poll=true`;
      }
    }
    const runs = traces.reduce((n, t) => n + t.runs.length, 0);
    const feedback = traces.reduce((n, t) => n + t.feedback.length, 0);
    log(`LangSmith: experiment ${experiment.name}: ${traces.length} traces, ${runs} runs, ${feedback} feedback`);
  } catch (error) {
    // Close it even after a failed trace upload (an open experiment looks like a run in
    // progress), but report the upload failure, not a follow-on one.
    await close().catch(() => undefined);
    throw error;
  }
  await close();
}

async function createExperiment(
  gateway: LangSmithGateway,
  prefix: string,
  plan: DatasetPlan,
  report: Report,
  datasetId: string,
  description: string,
  metadata: Record<string, unknown>,
): Promise<CreatedExperiment> {
  for (let attempt = 1; ; attempt++) {
    const name = experimentName(prefix, plan, report, randomBytes(3).toString("hex"));
    try {
      return await gateway.createExperiment({ name, datasetId, description, metadata });
    } catch (error) {
      if (!(error instanceof NameTakenError) || attempt >= 3) throw error;
    }
  }
}

/** Whole traces per batch, bounded in item count and (estimated) bytes. */
function ingestBatches(traces: readonly PlannedTrace[]): PlannedTrace[][] {
  const batches: PlannedTrace[][] = [];
  let current: PlannedTrace[] = [];
  let items = 0;
  let bytes = 0;
  for (const trace of traces) {
    const traceItems = trace.runs.length + trace.feedback.length;
    const traceBytes = JSON.stringify(trace.runs).length + JSON.stringify(trace.feedback).length;
    if (current.length > 0 && (items + traceItems > INGEST_MAX_ITEMS || bytes + traceBytes > INGEST_MAX_BYTES)) {
      batches.push(current);
      current = [];
      items = 0;
      bytes = 0;
    }
    current.push(trace);
    items += traceItems;
    bytes += traceBytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function failure(progress: Progress, error: string): UploadResult {
  const first = progress.experiments[0];
  return {
    uploaded: false,
    ...(first && { experiment_id: first.experiment_id }),
    ...(first?.experiment_url && { experiment_url: first.experiment_url }),
    experiments: [...progress.experiments],
    trace_urls: { ...progress.trace_urls },
    error,
  };
}

/** Adds the next step for the failures a user can fix. */
function explain(error: unknown): string {
  const message = errorMessage(error);
  if (/status \[(401|403)\]/.test(message)) return `${message} (check the LangSmith API key and its workspace)`;
  return message;
}

function errorMessage(error: unknown): string {
  // "AbortError: " is how the gateway tells the SDK not to retry; the reader needs only the reason.
  if (error instanceof Error) return error.message.trim().replace(/^AbortError: /, "");
  return String(error);
}

function safeLog(log: (line: string) => void): (line: string) => void {
  return (line) => {
    try {
      log(line);
    } catch {
      // A broken logger must not turn a finished upload into a failure.
    }
  };
}
