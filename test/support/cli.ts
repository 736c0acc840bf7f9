import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Report } from "../../core/report.ts";

export const REPO = resolve(import.meta.dirname, "../..");
const BIN = join(REPO, "cli/bin.ts");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Copies test/fixtures/<name> to test/.tmp/<name>-<unique>/: the same depth below the repo, so a
 * fixture's relative imports of core/ resolve, while the test is free to edit and record into it.
 */
export function copyFixture(name: string): string {
  const dir = scratchDir(name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(REPO, "test/fixtures", name), dir, { recursive: true });
  return dir;
}

/** A project a test writes file by file, in test/.tmp/<name>-<unique>/ (fixtures' depth). */
export function scratchProject(name: string): { dir: string; write(file: string, text: string): void } {
  const dir = scratchDir(name);
  return {
    dir,
    write(file, text) {
      mkdirSync(join(dir, file, ".."), { recursive: true });
      writeFileSync(join(dir, file), text);
    },
  };
}

function scratchDir(name: string): string {
  return join(REPO, "test/.tmp", `${name}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
}

/** Runs the real CLI in a child process, as a user or CI would, with a clean environment. */
export function runCli(args: readonly string[], opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", CI: "true", NO_COLOR: "1", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`CLI did not finish within ${opts.timeoutMs ?? 60_000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** report.json, held to its schema: every end-to-end run checks that the rows evalgate wrote are valid. */
export function readReport(dir: string, outDir = ".evalgate"): Report {
  return Report.parse(JSON.parse(readFileSync(join(dir, outDir, "report.json"), "utf8")));
}

export function verdicts(report: Report): Record<string, string> {
  return Object.fromEntries(report.examples.map((e) => [e.id, e.verdict]));
}

/** Copies the qa fixture's recordings from a recorded project into another copy of the fixture. */
export function copyRecordings(from: string, to: string): void {
  cpSync(join(from, "datasets/qa/recordings"), join(to, "datasets/qa/recordings"), { recursive: true });
}

/** Every file below `dir`. */
export function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

/** Rewrites a file of a fixture copy through `change` (a prompt edit, a dataset tweak). */
export function editFile(dir: string, file: string, change: (text: string) => string): void {
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), "utf8")));
}
