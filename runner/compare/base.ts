import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { RecordingFile, type RecordedExchange } from "../../core/recording.ts";
import type { ExampleResult, Report } from "../../core/report.ts";
import { defaultRecordingsDir } from "../../core/dataset.ts";
import { readReportFile } from "../read-report.ts";
import { recordingPath } from "../recording-store.ts";
import { ProblemsError } from "../problems.ts";
import type { ExchangeLookup } from "./build.ts";

const exec = promisify(execFile);

/** The base of a comparison: its report, and how to find its recorded requests again. */
export interface Baseline {
  report: Report;
  source: "git" | "report";
  label: string;
  exchange: ExchangeLookup;
  /** Removes the worktree, if one was made. */
  dispose(): Promise<void>;
}

export interface BaselineOptions {
  /** `--base` as given: a git ref, a report.json, or an out dir holding one. */
  base: string;
  rootDir: string;
  /** The config file, relative to rootDir (the base is run with the same one, as the base has it). */
  configRel: string;
  /** evalgate's own CLI, which replays the base (the base's copy of the project, this evalgate). */
  bin: string;
  /** Run filters to pass on, so both sides select the same examples. */
  filterArgs: string[];
  env: NodeJS.ProcessEnv;
}

/** Fails fast, before the head's run, when `--base` names nothing: no file, no folder, no commit. */
export async function checkBaseExists(base: string, rootDir: string): Promise<void> {
  if (existsSync(resolve(process.cwd(), base))) return;
  try {
    await exec("git", ["rev-parse", "--verify", "--quiet", `${base}^{commit}`], { cwd: rootDir });
  } catch {
    throw notABase(base, rootDir);
  }
}

function notABase(base: string, rootDir: string): ProblemsError {
  return new ProblemsError(`--base ${base} is neither a file, a folder nor a git commit`, [{ file: "command line", line: 0, column: 0, path: "--base", message: `"${base}" is not a report.json, a folder holding one, or a ref git knows in ${rootDir}` }], "pass a git ref (origin/main, HEAD~1, a sha) or a report.json from an earlier run; in CI fetch the base branch first (actions/checkout with fetch-depth: 0)");
}

/**
 * A report file or folder is read as it is. Anything else must be a git ref: it is checked out
 * into a temporary worktree (this checkout's node_modules linked in) and replayed there, which is
 * hermetic and takes seconds, so the baseline needs no artifact store.
 */
export async function resolveBaseline(opts: BaselineOptions): Promise<Baseline> {
  const asPath = resolve(process.cwd(), opts.base);
  if (existsSync(asPath)) {
    const file = statSync(asPath).isDirectory() ? join(asPath, "report.json") : asPath;
    return { report: readReportFile(file, opts.base, "pass a report.json an evalgate run wrote, or a git ref"), source: "report", label: opts.base, exchange: recordingsUnder(opts.rootDir), dispose: async () => {} };
  }
  return replayGitRef(opts);
}

async function replayGitRef(opts: BaselineOptions): Promise<Baseline> {
  const git = (...args: string[]) => exec("git", args, { cwd: opts.rootDir, maxBuffer: 64 * 1024 * 1024 }).then((r) => r.stdout.trim());
  let sha: string;
  let top: string;
  try {
    sha = await git("rev-parse", "--verify", "--quiet", `${opts.base}^{commit}`);
    top = await git("rev-parse", "--show-toplevel");
  } catch {
    throw notABase(opts.base, opts.rootDir);
  }
  const temp = mkdtempSync(join(tmpdir(), "evalgate-base-"));
  // Beside the checkout, at the same depth: a project whose code reaches out of its folder with a
  // relative import (a monorepo package, a vendored tool) resolves the same way in the base.
  const worktree = mkdtempSync(join(dirname(top), `.${basename(top)}.evalgate-base-`));
  const dispose = async () => {
    await git("worktree", "remove", "--force", worktree).catch(() => undefined);
    rmSync(worktree, { recursive: true, force: true });
    rmSync(temp, { recursive: true, force: true });
    await git("worktree", "prune").catch(() => undefined);
  };
  try {
    await git("worktree", "add", "--detach", worktree, sha);
    const baseRoot = join(worktree, relative(top, opts.rootDir));
    // The base is replayed with the dependencies installed here: same lockfile or close to it, and no install step.
    for (let dir = opts.rootDir, rel = ""; ; dir = dirname(dir)) {
      const modules = join(dir, "node_modules");
      const target = join(baseRoot, rel, "node_modules");
      if (existsSync(modules) && !existsSync(target) && existsSync(dirname(target))) symlinkSync(modules, target, "dir");
      if (dir === top || dirname(dir) === dir) break;
      rel = join(rel, "..");
    }
    const config = join(baseRoot, opts.configRel);
    if (!existsSync(config)) throw new ProblemsError(`the base ${opts.base} has no ${opts.configRel}`, [{ file: opts.configRel, line: 1, column: 1, path: "", message: `not present at ${opts.base} (${sha.slice(0, 7)})` }], "compare against a ref that already has evalgate set up, or pass a saved report.json");
    // evalgate's own repository (or any project that vendors it) is judged by the evalgate it
    // had at that commit: its agents import that copy, and a newer runner may expect more of them.
    const ownBin = join(worktree, relative(top, opts.bin));
    const bin = !relative(top, opts.bin).startsWith("..") && existsSync(ownBin) ? ownBin : opts.bin;
    const out = join(temp, "out");
    const env = { ...opts.env, GITHUB_ACTIONS: "", GITHUB_STEP_SUMMARY: "", GITHUB_SHA: sha, GITHUB_REF_NAME: opts.base, GITHUB_HEAD_REF: "" };
    const result = await exec(process.execPath, [bin, "--config", config, "--out-dir", out, "--reporter", "json", "--no-upload", ...opts.filterArgs], { cwd: baseRoot, env, maxBuffer: 256 * 1024 * 1024 }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code?: number; stderr?: string }) => ({ code: typeof error.code === "number" ? error.code : 2, stderr: error.stderr ?? String(error) }),
    );
    if (result.code !== 0 && result.code !== 1) {
      throw new ProblemsError(`the base ${opts.base} (${sha.slice(0, 7)}) could not be replayed`, [{ file: opts.configRel, line: 1, column: 1, path: "", message: result.stderr.trim().split("\n").slice(0, 12).join("\n    ") }], "fix the base (or compare against another ref or a saved report.json)");
    }
    return { report: readReportFile(join(out, "report.json"), `${opts.base}'s replay`), source: "git", label: opts.base, exchange: recordingsUnder(baseRoot), dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}


/**
 * Finds a recorded request by key in the example's recording under `root` (the head's checkout or
 * the base's worktree). Files are read once each.
 */
export function recordingsUnder(root: string): ExchangeLookup {
  const cache = new Map<string, RecordedExchange[]>();
  return (example: ExampleResult, key: string) => {
    const file = recordingPath(join(root, dirname(example.file), defaultRecordingsDir(example.dataset_version)), example.id);
    if (!cache.has(file)) {
      let exchanges: RecordedExchange[] = [];
      try {
        exchanges = RecordingFile.parse(JSON.parse(readFileSync(file, "utf8"))).exchanges;
      } catch {
        // No file or not a recording: the comparison falls back to the prompt the span carries.
      }
      cache.set(file, exchanges);
    }
    return cache.get(file)!.find((e) => e.key === key) ?? null;
  };
}
