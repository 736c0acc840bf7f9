import { dirname, relative, resolve } from "node:path";
import { writeFileAtomic } from "../reports/atomic-write.ts";
import { serializeReport } from "../reports/json.ts";
import { createMarkdownReporter } from "../reports/markdown.ts";
import type { ReporterContext } from "../core/reporter.ts";
import { loadConfig } from "../runner/load-config.ts";
import { loadDatasets } from "../runner/load-datasets.ts";
import { formatProblem, ProblemsError } from "../runner/problems.ts";
import { readReportFile } from "../runner/read-report.ts";
import { runEval, type RunResult } from "../runner/run.ts";
import { evalgateVersion } from "../runner/run-info.ts";
import { parseCommand, UsageError, type RunArgs } from "./args.ts";
import { helpText } from "./help.ts";
import { uploadStep } from "./upload-step.ts";

export interface Io {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdout: ReporterContext["stdout"];
  stderr: NodeJS.WritableStream;
  /** How the user invoked us, for hints ("pnpm eval"). */
  command: string;
}

/** Returns the exit code: 0 gate passed, 1 gate failed, 2 could not be judged. Never throws for user mistakes. */
export async function main(io: Io): Promise<number> {
  const say = (line = "") => io.stdout.write(`${line}\n`);
  const complain = (line: string) => io.stderr.write(`${line}\n`);
  try {
    const command = parseCommand(io.argv);
    switch (command.kind) {
      case "help":
        say(helpText(io.command));
        return 0;
      case "version":
        say(evalgateVersion());
        return 0;
      case "init": {
        const { initProject } = await import("./init/init.ts");
        return initProject({ dir: process.cwd(), graph: command.graph, ...(command.wrap ? { wrap: command.wrap } : {}) }, say);
      }
      case "list":
        await list(command.configPath, say);
        return 0;
      case "run":
        return await run(command.options, io);
      case "compare": {
        // Imported when used: diffing, git worktrees and the GitHub client cost every other run start-up time.
        const [{ checkBaseExists }, { compareWithBase }] = await Promise.all([import("../runner/compare/base.ts"), import("./compare.ts")]);
        await checkBaseExists(command.base, dirname(resolve(command.options.configPath)));
        return await run(command.options, io, (result) => compareWithBase(result, command.options, command, io));
      }
      case "merge": {
        const loaded = await loadConfig(command.configPath);
        const outDir = resolve(loaded.rootDir, command.outDir ?? loaded.config.outDir);
        const { mergeEventLogs } = await import("../runner/merge.ts");
        const report = await mergeEventLogs(command.inputs, { outDir, rootDir: loaded.rootDir, reporters: loaded.config.reporters, config: loaded.config, env: io.env, stdout: io.stdout, strict: command.strict });
        return report.gate.exit_code;
      }
      case "upload": {
        const loaded = await loadConfig(command.configPath);
        const reportPath = resolve(command.reportPath);
        const report = readReportFile(reportPath, command.reportPath);
        const outcome = await uploadStep(report, loaded.config, io.env, say, true);
        // The saved run now links to its experiment and traces, like a run uploaded as it finished.
        await writeFileAtomic(reportPath, serializeReport(report));
        await createMarkdownReporter({ outDir: dirname(reportPath), rootDir: loaded.rootDir, env: io.env, stdout: io.stdout, command: io.command }).onEnd?.(report);
        return outcome.uploaded ? 0 : 1;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      complain(`evalgate: ${error.message}`);
      complain(`Run ${io.command} --help for the options.`);
      return 2;
    }
    if (error instanceof ProblemsError) {
      complain(`evalgate: ${error.message}`);
      for (const p of error.problems) complain(`  ${formatProblem(p)}`);
      complain(`Next: ${error.nextStep}`);
      return 2;
    }
    throw error;
  }
}

/** What OPENAI_API_KEY holds when a run that calls no model has none. */
const NO_KEY_NEEDED = "evalgate-replay-needs-no-key";

/** The gate, then (for compare) what comes after it; the exit code is always the gate's. */
async function run(args: RunArgs, io: Io, after?: (result: RunResult) => Promise<void>): Promise<number> {
  // Replay and scripted replies answer every model call themselves, but the OpenAI SDK will not
  // build a client without a key: an agent's own `new ChatOpenAI()` failed where ctx.llm did not.
  // A placeholder fills the SDK's default variable (before any agent loads); it reaches no server.
  if ((args.mode === "replay" || args.replies) && !io.env.OPENAI_API_KEY) io.env.OPENAI_API_KEY = NO_KEY_NEEDED;
  const result = await runEval({ ...args, command: io.command, env: io.env, stdout: io.stdout });
  try {
    const code = await finish(result, args, io);
    await after?.(result);
    return code;
  } finally {
    result.lock.release();
  }
}

async function finish(result: Awaited<ReturnType<typeof runEval>>, args: RunArgs, io: Io): Promise<number> {
  const { report, reporter, loaded } = result;
  const wantUpload = args.upload ?? Boolean(io.env[loaded.config.langsmith.apiKeyEnv]);
  let uploadFailed = false;
  if (wantUpload) {
    const outcome = await uploadStep(report, loaded.config, io.env, (l) => io.stdout.write(`${l}\n`), args.upload === true);
    uploadFailed = !outcome.uploaded;
  }
  await reporter.onEnd?.(report);
  for (const failure of reporter.failures) io.stderr.write(`evalgate: reporter ${failure.reporter} failed (${failure.phase}): ${failure.message}\n`);
  if (uploadFailed && args.requireUpload) {
    io.stderr.write(`evalgate: the LangSmith upload failed and --require-upload is set; results are in ${relative(process.cwd(), result.outDir) || "."}; retry with: ${io.command} upload ${relative(process.cwd(), resolve(result.outDir, "report.json"))}\n`);
    return 1;
  }
  return report.gate.exit_code;
}

async function list(configPath: string, say: (line?: string) => void): Promise<void> {
  const loaded = await loadConfig(configPath);
  const { datasets, problems } = await loadDatasets(loaded.rootDir, loaded.config.datasets, loaded.agents);
  if (problems.length) throw new ProblemsError(`${problems.length} dataset problem(s)`, problems, "fix them, then list again");
  for (const d of datasets) {
    const tags = [...new Set(d.examples.flatMap((e) => e.tags))].sort();
    say(`${d.graph}@v${d.version}  ${d.file}  ${d.examples.length} examples  tags: ${tags.join(", ") || "-"}`);
    for (const e of d.examples) say(`  ${e.id.padEnd(36)} ${e.pass ? "pass" : "known failure"}  ${e.tags.join(",")}`);
  }
}

