import type { ArgsMatch, ToolRecording } from "../core/dataset.ts";
import { canonicalJson } from "./canonical-json.ts";

/**
 * Whether a tool call's arguments match a recorded call: exactly (canonical JSON equality, the
 * default), as a superset of the recorded fields (`match.args: subset`), with some fields matched
 * by regex or ignored. Every difference is named, so a miss can say which field it was.
 */

type Args = Record<string, unknown>;

export interface ArgDifference {
  path: string;
  /** What went wrong at `path`, in a few words. */
  what: string;
}

const DEFAULT_MATCH: ArgsMatch = { args: "exact", regex: {}, ignore: [] };

export function argDifferences(recording: ToolRecording, actual: Args): ArgDifference[] {
  const match = recording.call.match ?? DEFAULT_MATCH;
  const skipped = new Set([...match.ignore, ...Object.keys(match.regex)]);
  const diffs: ArgDifference[] = [];
  for (const [path, source] of Object.entries(match.regex)) {
    const value = valueAt(actual, path);
    if (value === undefined) diffs.push({ path, what: `missing (must match /${source}/)` });
    else if (typeof value !== "string") diffs.push({ path, what: `${short(value)} is not text (must match /${source}/)` });
    else if (!new RegExp(source).test(value)) diffs.push({ path, what: `${short(value)} does not match /${source}/` });
  }
  compare(without(recording.call.args, skipped), without(actual, skipped), "", match.args === "subset", diffs);
  return diffs;
}

/** Differences below `prefix`: recorded fields missing or changed, and (exact only) fields the recording does not have. */
function compare(recorded: unknown, actual: unknown, prefix: string, subset: boolean, diffs: ArgDifference[]): void {
  if (isObject(recorded) && isObject(actual)) {
    for (const key of Object.keys(recorded)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (!(key in actual)) diffs.push({ path, what: `missing (recorded ${short(recorded[key])})` });
      else compare(recorded[key], actual[key], path, subset, diffs);
    }
    if (!subset) for (const key of Object.keys(actual)) if (!(key in recorded)) diffs.push({ path: prefix ? `${prefix}.${key}` : key, what: `${short(actual[key])} is not in the recording` });
    return;
  }
  if (canonicalJson(recorded) !== canonicalJson(actual)) diffs.push({ path: prefix || "(args)", what: `${short(actual)}, recorded ${short(recorded)}` });
}

function without(args: Args, paths: ReadonlySet<string>): Args {
  if (paths.size === 0) return args;
  const copy = structuredClone(args);
  for (const path of paths) {
    const keys = path.split(".");
    let node: unknown = copy;
    for (const key of keys.slice(0, -1)) node = isObject(node) ? node[key] : undefined;
    if (isObject(node)) delete node[keys.at(-1)!];
  }
  return copy;
}

function valueAt(args: Args, path: string): unknown {
  let node: unknown = args;
  for (const key of path.split(".")) node = isObject(node) ? node[key] : undefined;
  return node;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** The recorded call of the same tool with the fewest differences, and those differences. */
export function nearestRecording(recordings: readonly ToolRecording[], tool: string, actual: Args): { recording: ToolRecording; diffs: ArgDifference[] } | null {
  let best: { recording: ToolRecording; diffs: ArgDifference[] } | null = null;
  for (const recording of recordings) {
    if (recording.call.tool !== tool) continue;
    const diffs = argDifferences(recording, actual);
    if (!best || diffs.length < best.diffs.length) best = { recording, diffs };
  }
  return best;
}

/** A recorded call as the dataset shows it: its arguments, and how they are matched when not exactly. */
export function describeRecordedCall(recording: ToolRecording): string {
  const match = recording.call.match;
  const how = match && (match.args === "subset" || match.ignore.length || Object.keys(match.regex).length)
    ? ` [${[match.args === "subset" ? "subset" : "", ...Object.entries(match.regex).map(([p, r]) => `${p} ~ /${r}/`), ...(match.ignore.length ? [`ignoring ${match.ignore.join(", ")}`] : [])].filter(Boolean).join("; ")}]`
    : "";
  return `${recording.call.tool}(${canonicalJson(recording.call.args)})${how}`;
}
