import { readdirSync } from "node:fs";
import { mkdir, readdir, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { RecordingFile, type RecordedExchange } from "../core/recording.ts";
import { sortKeys } from "./canonical-json.ts";
import { lineColumnOf, readUserFile } from "./file-text.ts";
import { requestKey } from "./request-key.ts";

export function recordingPath(recordingsDir: string, exampleId: string): string {
  return join(recordingsDir, `${exampleId}.json`);
}

/** Who a recording file belongs to: a file copied from another example must not replay here. */
export interface RecordingOwner {
  graph: string;
  dataset_version: number;
  example: string;
}

export type LoadedRecording =
  | { kind: "found"; file: RecordingFile }
  | { kind: "missing" }
  | { kind: "invalid"; message: string };

/** Far beyond any real recording; a bound so a stray huge file is a message, not an out-of-memory. */
const MAX_RECORDING_BYTES = 256 * 1024 * 1024;

/**
 * Whether a recording file exists, from one listing per recordings folder: a replay of agents that
 * never call the LLM would otherwise pay a failed open, and the exception it throws, per example.
 * Only for runs that write no recordings (replay), where a listing cannot go stale.
 */
export type RecordingPresence = (path: string) => boolean;

export function listedRecordings(): RecordingPresence {
  const folders = new Map<string, ReadonlySet<string> | "unknown">();
  return (path) => {
    const dir = dirname(path);
    let names = folders.get(dir);
    if (names === undefined) {
      try {
        names = new Set(readdirSync(dir));
      } catch (error) {
        // No folder means no recordings; anything else (permissions) is for the read to report.
        names = (error as NodeJS.ErrnoException).code === "ENOENT" ? new Set() : "unknown";
      }
      folders.set(dir, names);
    }
    return names === "unknown" || names.has(basename(path));
  };
}

export async function loadRecording(path: string, owner: RecordingOwner, present?: RecordingPresence): Promise<LoadedRecording> {
  if (present && !present(path)) return { kind: "missing" };
  const read = await readUserFile(path, MAX_RECORDING_BYTES);
  if (!read.ok) {
    if (read.missing) return { kind: "missing" };
    return { kind: "invalid", message: `${read.line ? `line ${read.line}:${read.column}: ` : ""}the path ${read.message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (error) {
    return { kind: "invalid", message: `not valid JSON: ${jsonErrorWhere(read.text, (error as Error).message)}` };
  }
  const parsed = RecordingFile.safeParse(json);
  if (!parsed.success) {
    const shown = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    const more = parsed.error.issues.length - shown.length;
    return { kind: "invalid", message: `${shown.join("; ")}${more > 0 ? ` (+${more} more)` : ""}` };
  }
  const problem = consistencyProblem(parsed.data, owner);
  return problem ? { kind: "invalid", message: problem } : { kind: "found", file: parsed.data };
}

/** What the schema cannot see: whose file this is, keys that no longer hash their request, empty answers. */
function consistencyProblem(file: RecordingFile, owner: RecordingOwner): string | null {
  const wrong = (["graph", "dataset_version", "example"] as const).filter((field) => file[field] !== owner[field]);
  if (wrong.length) {
    return `${wrong.map((f) => `${f} is ${JSON.stringify(file[f])}`).join(", ")}, but this file belongs to ${owner.graph}@v${owner.dataset_version}/${owner.example} (copied from another example?)`;
  }
  for (const [i, exchange] of file.exchanges.entries()) {
    const actual = requestKey(exchange.request);
    if (actual !== exchange.key) {
      return `exchanges[${i}].key ${exchange.key.slice(0, 12)}… does not match its request (which hashes to ${actual.slice(0, 12)}…): the file was edited by hand; re-record it`;
    }
    const body = exchange.response.body as { choices?: unknown } | null;
    const chat = exchange.request.path.startsWith("/chat/completions") && exchange.response.status < 400 && exchange.response.content_type.includes("json");
    if (chat && (!Array.isArray(body?.choices) || body.choices.length === 0)) {
      return `exchanges[${i}].response.body has no choices: a chat completion answer needs at least one; re-record it`;
    }
  }
  return null;
}

/** "Unexpected token } in JSON at position 40" → "line 3:7: Unexpected token …". */
function jsonErrorWhere(text: string, message: string): string {
  const first = message.split("\n")[0]!;
  const position = /at position (\d+)/.exec(first);
  const where = position ? lineColumnOf(text, Number(position[1])) : /Unexpected end of JSON/.test(first) ? lineColumnOf(text, text.length) : null;
  return where ? `line ${where.line}:${where.column}: ${first.replace(/\s*\(line \d+ column \d+\)/, "").replace(/ in JSON at position \d+/, "")}` : first;
}

/** A temporary file of saveRecording's: `<id>.json.<pid>.<time>.tmp`. */
const TEMP_FILE = /\.json\.(\d+)\.\d+\.tmp$/;

/** Temporary files being written right now, so a signal can remove them before the process ends. */
const inFlight = new Set<string>();

export function temporaryRecordingFiles(): readonly string[] {
  return [...inFlight];
}

/**
 * Writes through a temporary file and a rename, so a crash mid-write never leaves a torn
 * recording. Keys are sorted and the JSON indented: a re-recording diffs line by line.
 */
export async function saveRecording(path: string, file: RecordingFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  inFlight.add(tmp);
  try {
    await writeFile(tmp, `${JSON.stringify(sortKeys(file), null, 2)}\n`, "utf8");
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  } finally {
    inFlight.delete(tmp);
  }
}

/**
 * A run killed mid-write (SIGKILL cannot be caught) leaves its temporary file behind; the next run
 * removes those of processes that are gone. Returns the files removed.
 */
export async function removeStaleTemporaryFiles(dirs: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = TEMP_FILE.exec(name);
      if (!match || processAlive(Number(match[1]))) continue;
      const path = join(dir, name);
      await unlink(path).then(() => removed.push(path), () => undefined);
    }
  }
  return removed;
}

export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Exchanges by key, each list in recorded order. */
export function indexExchanges(exchanges: readonly RecordedExchange[]): Map<string, RecordedExchange[]> {
  const index = new Map<string, RecordedExchange[]>();
  for (const ex of exchanges) index.set(ex.key, [...(index.get(ex.key) ?? []), ex]);
  return index;
}

