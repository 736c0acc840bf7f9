/**
 * The LangSmith exporter's own vocabulary. Only client.ts knows the `langsmith` SDK; everything
 * else speaks these types, so the SDK can change (or be replaced) behind one adapter.
 */

export interface UploadOptions {
  /** LangSmith API URL, such as https://api.smith.langchain.com (the CLI resolves it). */
  apiUrl: string;
  apiKey: string;
  experimentPrefix: string;
  /** Extra redaction patterns (JavaScript regex sources), on top of the built-in rules. */
  redact: string[];
  /** Secret values (keys) the run knows, removed wherever they appear. */
  secrets?: readonly string[];
  /** Hard bound on the whole upload, probe included. */
  timeoutMs: number;
  /** Bound on each request: a server that stalls after /info costs this, not the whole bound (default 3000). */
  requestTimeoutMs?: number;
  log: (line: string) => void;
  /** Web app URL for links when it cannot be derived from apiUrl (self-hosted behind a proxy). */
  webUrl?: string;
}

export interface ExperimentLink {
  /** `<graph>@v<version>` */
  dataset: string;
  dataset_id: string;
  experiment_id: string;
  experiment_name: string;
  experiment_url?: string;
  traces: number;
}

export interface UploadResult {
  /** True only when every dataset, example, experiment, trace and feedback arrived. */
  uploaded: boolean;
  /** The first experiment (a run over one dataset has exactly one). */
  experiment_id?: string;
  experiment_url?: string;
  /** One experiment per dataset the run covered, in report order. */
  experiments: ExperimentLink[];
  /** `<graph>@v<version>/<id>` → trace URL, for every trace that was sent. */
  trace_urls: Record<string, string>;
  error?: string;
}

/** What GET /info says; only the fields the exporter reads. */
export interface ServerInfo {
  version?: string;
  instance_flags?: Record<string, unknown>;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = Record<string, unknown>;

/** A dataset example as evalgate wants it to be (and as read back for comparison). */
export interface ExampleRecord {
  id: string;
  inputs: JsonObject;
  outputs: JsonObject;
  metadata: JsonObject;
}

export type RunType = "llm" | "tool" | "chain";

/** One finished run, sent in a single create (no later patch). */
export interface RunRecord {
  id: string;
  trace_id: string;
  dotted_order: string;
  parent_run_id?: string;
  session_name: string;
  name: string;
  run_type: RunType;
  /** ISO 8601 with microseconds, UTC. */
  start_time: string;
  end_time: string;
  inputs: JsonObject;
  outputs: JsonObject;
  error?: string;
  extra: { metadata: JsonObject };
  tags?: string[];
  reference_example_id?: string;
}

export interface FeedbackRecord {
  id: string;
  run_id: string;
  trace_id: string;
  key: string;
  score: number;
  value?: string;
  comment?: string;
  session_id: string;
  start_time: string;
}

export interface CreatedExperiment {
  id: string;
  name: string;
  tenantId?: string;
}

/** The calls the exporter makes; client.ts implements them with the SDK. All may throw. */
export interface LangSmithGateway {
  hostUrl(): string;
  findOrCreateDataset(name: string, details: { description: string; metadata: JsonObject }): Promise<{ id: string; created: boolean }>;
  listExamples(datasetId: string): Promise<ExampleRecord[]>;
  createExamples(datasetId: string, examples: ExampleRecord[]): Promise<void>;
  updateExamples(datasetId: string, examples: ExampleRecord[]): Promise<void>;
  /** Throws NameTakenError when the name exists. */
  createExperiment(details: { name: string; datasetId: string; description: string; metadata: JsonObject }): Promise<CreatedExperiment>;
  /** Sends runs and their feedback; throws unless the server accepted them. */
  ingest(runs: RunRecord[], feedback: FeedbackRecord[]): Promise<void>;
  /** Sets end_time, resending name, description and metadata so nothing is cleared. */
  closeExperiment(experiment: CreatedExperiment, details: { description: string; metadata: JsonObject; endTime: Date }): Promise<void>;
  dispose(): void;
}

export class NameTakenError extends Error {
  override readonly name = "NameTakenError";
}
