import type { EvalConfig } from "../core/config.ts";
import type { Report } from "../core/report.ts";
import { knownSecrets } from "../runner/redaction.ts";

const DEFAULT_LANGSMITH = "https://api.smith.langchain.com";

export interface UploadStepOutcome {
  uploaded: boolean;
}

/**
 * Uploads a finished report to LangSmith and writes the experiment and trace URLs into it.
 * Fail-open: whatever LangSmith does, the verdicts stand and the results stay on disk.
 * The SDK is loaded only when an upload is wanted, so replay-only runs never pay for it.
 */
export async function uploadStep(report: Report, config: EvalConfig, env: NodeJS.ProcessEnv, say: (line: string) => void, explicit: boolean): Promise<UploadStepOutcome> {
  const apiKey = env[config.langsmith.apiKeyEnv];
  if (!apiKey) {
    const message = `${config.langsmith.apiKeyEnv} is not set`;
    if (explicit) say(`LangSmith upload skipped: ${message}; export it and run again (results are on disk)`);
    report.langsmith = { uploaded: false, error: message };
    return { uploaded: false };
  }
  const apiUrl = config.langsmith.endpoint ?? env.LANGSMITH_ENDPOINT ?? DEFAULT_LANGSMITH;
  say(`Uploading to LangSmith (${new URL(apiUrl).host})…`);
  const { uploadReport } = await import("../exporters/langsmith/index.ts");
  const result = await uploadReport(report, {
    apiUrl,
    apiKey,
    experimentPrefix: config.langsmith.experimentPrefix,
    redact: [...config.redact.patterns, ...config.langsmith.redact],
    secrets: knownSecrets(config, env),
    timeoutMs: config.langsmith.timeoutMs,
    requestTimeoutMs: config.langsmith.requestTimeoutMs,
    log: say,
  });
  report.langsmith = {
    uploaded: result.uploaded,
    ...(result.experiment_id ? { experiment_id: result.experiment_id } : {}),
    ...(result.experiment_url ? { experiment_url: result.experiment_url } : {}),
    experiments: result.experiments.map((e) => ({ dataset: e.dataset, experiment_id: e.experiment_id, ...(e.experiment_url ? { experiment_url: e.experiment_url } : {}) })),
    ...(result.error ? { error: result.error } : {}),
  };
  for (const example of report.examples) {
    const url = result.trace_urls[`${example.graph}@v${example.dataset_version}/${example.id}`];
    if (url) example.trace_url = url;
  }
  for (const e of result.experiments) say(`LangSmith experiment for ${e.dataset}: ${e.experiment_url ?? e.experiment_id}`);
  if (!result.uploaded) say(`LangSmith upload failed (the verdict stands): ${result.error ?? "unknown error"}`);
  return { uploaded: result.uploaded };
}
