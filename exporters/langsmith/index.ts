/** LangSmith exporter: `uploadReport` and its types. Import this, never client.ts. */
export { uploadReport } from "./upload.ts";
export type { ExperimentLink, UploadOptions, UploadResult } from "./types.ts";
