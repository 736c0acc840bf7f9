import { dirname, isAbsolute, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** evalgate's own code, from source (runner/…) or from the package (dist/runner/…): never the user's frame. */
const EVALGATE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const EVALGATE_DIRS = ["runner", "core", "cli", "scorers", "reports", "exporters"].map((dir) => join(EVALGATE_ROOT, dir) + sep);

/** "    at run (file:///p/evals/bot.ts:12:11)" or "    at file:///p/bot.ts:3:7": the location at the end of a frame. */
const FRAME_LOCATION = /(?:\(|at )((?:file:\/\/|\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)\)?$/;

/**
 * Where an agent's error was thrown in the user's own code: the innermost stack frame that is
 * not Node's, a package's (node_modules) or evalgate's, as `relative/path.ts:line:column`. An
 * error raised inside LangChain or the SDK points at the agent line that called it. Null when no
 * frame is the user's (an error built without a stack, or thrown entirely inside a library).
 */
export function thrownAt(stack: string | undefined, relativePath: (absolute: string) => string): string | null {
  for (const line of stack?.split("\n").slice(1) ?? []) {
    const match = FRAME_LOCATION.exec(line.trim());
    if (!match) continue;
    const [, where, row, column] = match;
    let path: string;
    try {
      // A loader's query (tsx's ?namespace=…) names no other file.
      const bare = where!.replace(/\?.*$/, "");
      path = bare.startsWith("file://") ? fileURLToPath(bare) : bare;
    } catch {
      continue;
    }
    if (!isAbsolute(path) || path.includes(`${sep}node_modules${sep}`) || EVALGATE_DIRS.some((dir) => path.startsWith(dir))) continue;
    return `${relativePath(path)}:${row}:${column}`;
  }
  return null;
}
