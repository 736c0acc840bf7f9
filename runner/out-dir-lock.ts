import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join, relative } from "node:path";
import { ProblemsError } from "./problems.ts";
import { processAlive } from "./recording-store.ts";

export const LOCK_FILE = ".lock";

export interface OutDirLock {
  release(): void;
}

/**
 * One run per output directory: two runs writing the same events.jsonl interleave it, and a merge
 * of that file double-counts. A second run exits 2 naming the first's pid; a lock left by a process
 * that is gone (killed) is taken over.
 */
export function lockOutDir(outDir: string, purpose: string): OutDirLock {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(path);
      if (holder && processAlive(holder.pid) && holder.pid !== process.pid) {
        const shown = relative(process.cwd(), outDir) || ".";
        throw new ProblemsError(`another evalgate run is using ${shown}`, [{ file: "command line", line: 0, column: 0, path: "", message: `${shown} is locked by pid ${holder.pid} (${holder.purpose}, since ${holder.since})` }], `wait for it to finish, or give this run its own folder with --out-dir`);
      }
      try {
        unlinkSync(path);
      } catch {
        // Another run took it over first; the next attempt reports that run.
      }
      continue;
    }
    writeSync(fd, JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }));
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off("exit", release);
      try {
        if (readHolder(path)?.pid === process.pid) unlinkSync(path);
      } catch {
        // Already gone.
      }
    };
    process.on("exit", release);
    return { release };
  }
  throw new ProblemsError("could not lock the output directory", [{ file: "command line", line: 0, column: 0, path: "", message: `${path} keeps reappearing` }], "run again, or pass --out-dir");
}

function readHolder(path: string): { pid: number; purpose: string; since: string } | null {
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown; purpose?: unknown; since?: unknown };
    return typeof holder.pid === "number" ? { pid: holder.pid, purpose: String(holder.purpose ?? "a run"), since: String(holder.since ?? "?") } : null;
  } catch {
    return null;
  }
}
