import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { RecordingFile, type RecordedExchange } from "../core/recording.ts";
import { sortKeys } from "./canonical-json.ts";

export function recordingPath(recordingsDir: string, exampleId: string): string {
  return join(recordingsDir, `${exampleId}.json`);
}

export type LoadedRecording =
  | { kind: "found"; file: RecordingFile }
  | { kind: "missing" }
  | { kind: "invalid"; message: string };

export async function loadRecording(path: string): Promise<LoadedRecording> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Slow path, only for a broken file: YAML (a JSON superset) says at which line it broke.
    try {
      parseYaml(text);
      return { kind: "invalid", message: "not valid JSON" };
    } catch (error) {
      return { kind: "invalid", message: `not valid JSON: ${(error as Error).message.split("\n")[0]}` };
    }
  }
  const parsed = RecordingFile.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return { kind: "invalid", message: `${first.path.join(".") || "(root)"}: ${first.message}` };
  }
  return { kind: "found", file: parsed.data };
}

/**
 * Writes through a temporary file and a rename, so a crash mid-write never leaves a torn
 * recording. Keys are sorted and the JSON indented: a re-recording diffs line by line.
 */
export async function saveRecording(path: string, file: RecordingFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(sortKeys(file), null, 2)}\n`, "utf8");
  await rename(tmp, path);
}

/** Exchanges by key, each list in recorded order. */
export function indexExchanges(exchanges: readonly RecordedExchange[]): Map<string, RecordedExchange[]> {
  const index = new Map<string, RecordedExchange[]>();
  for (const ex of exchanges) index.set(ex.key, [...(index.get(ex.key) ?? []), ex]);
  return index;
}
