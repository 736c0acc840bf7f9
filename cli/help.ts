import { describeScorers } from "../scorers/table.ts";

/** The commands, each with what it does. */
function usage(command: string): string {
  return table(command, 26, [
    ["[run] [options]", ["run the gate (replay by default)"]],
    ["list", ["list graphs, dataset versions, tags and example ids"]],
    ["init [--graph <name>] [--wrap <module.ts#export>]", ["set evalgate up in this project: eval.config.ts, an adapter,", 'a dataset, the "eval" script, .gitignore, a workflow (never', "overwrites a file)"]],
    ["upload <report.json>", ["upload a finished run to LangSmith (needs LANGSMITH_API_KEY)"]],
    ["compare --base <ref | report.json | dir> [--comment]", ["run the gate, replay the base (a git ref in a temporary", "worktree, or a saved report) and show what changed per", "example: compare.json, compare.md, report.html; --comment", "posts it as one sticky PR comment (GitHub Actions)"]],
    ["merge <events.jsonl>...", ["fold the event logs of shards into one report (exit 2 unless", "they are every shard i/n of one plan, each once and complete)"]],
  ]);
}

function examples(command: string): string {
  return table(command, 40, [
    ["", ["the whole gate, as CI runs it"]],
    ["--graph <graph> --tag smoke", ["a quick slice"]],
    ["--record --stale", ["after a prompt change: re-record only the stale calls"]],
    ["--record --replies --stale --graph <graph>", ["the same, from the scripted replies (no key)"]],
    ["--live --trials 10 --baseline .evalgate/base", ["after a prompt change: flaky, or regressed?"]],
    ["--record --judge-only --example <id>", ["a judge rubric changed: re-judge that example only"]],
  ]);
}

/**
 * Rows of "  <command> <args>" and their description, every description line in one column `width`
 * past the command, whatever it is called ("pnpm eval", "npx evalgate", "npm run eval --"); a row
 * too long for the column puts its description on the next line.
 */
function table(command: string, width: number, rows: Array<[string, string[]]>): string {
  const column = 2 + command.length + width;
  const indent = " ".repeat(column);
  return rows.flatMap(([args, lines]) => {
    const head = `  ${command}${args ? ` ${args}` : ""}`;
    if (head.length + 2 > column) return [head, ...lines.map((line) => indent + line)];
    return [head.padEnd(column) + lines[0], ...lines.slice(1).map((line) => indent + line)];
  }).join("\n");
}

export function helpText(command: string): string {
  const scorers = describeScorers().map((s) => `  ${s.name.padEnd(18)} ${s.description}`).join("\n");
  return `evalgate — offline evaluation gate for LLM agents

Replays every example of the golden datasets (datasets/<graph>/vN.yaml) through the real agent,
with LLM responses and tool outputs served from recordings committed to git, scores the answer,
and compares it with the example's expected \`pass\` flag. No network, no API key in replay.

Usage
${usage(command)}

Select
  -g, --graph <name>            only this graph (repeat or comma-separate)
      --dataset-version <n>     only this dataset version (v2 or 2)
  -t, --tag <tag>               only examples with this tag
  -e, --example <id>            only this example id
      --shard <i/n>             run the i-th of n equal slices (CI matrix); merge the shards after

Mode (how LLM calls are served)
      (default)                 replay: from recordings; a missing or stale recording fails the example
      --record                  call the endpoint in eval.config.ts (llm.baseURL, key from llm.apiKeyEnv)
                                and rewrite the recordings of the examples that ran
      --stale                   with --record: replay first, call the endpoint only for calls whose
                                recording misses, keep every exchange that still matches byte for byte
                                (nothing changed: no file is touched)
      --replies                 record from datasets/<graph>/authoring/vN.replies.yaml, served on
                                127.0.0.1 (no key, nothing leaves the machine); implies --record
      --live                    call the endpoint, write nothing
      --mode <m>                the same, spelled out: replay | record | live
      --base-url <url>          record/live against another OpenAI-compatible endpoint (vLLM, a proxy);
                                the judge's calls go there too
      --judge-only              with --record: replay the agent from its recording, call only the
                                judge of expect.judge checks (the agent's exchanges stay as they are)

Trials (a real model is not deterministic)
      --trials <k>              run each example k times (also trials: k in a dataset or example);
                                with --record every trial is kept, and replay reproduces the counts
      --baseline <report|dir>   test each example's passes against an earlier run's (one-sided
                                Fisher's exact test): a significant drop is a REGRESSION, a smaller
                                one "inconclusive" with the trials it would take to tell
                                Per example: Wilson 95 % interval, pass@k and pass^k, and a class:
                                stable pass, stable fail, or flaky (ok, but fails under --strict)

Gate
      --strict                  also fail when a known failure (pass: false) now passes, or when an
                                example expected to pass is flaky over its trials
      --timeout <ms>            per-example timeout (default from eval.config.ts, 30000)
  -j, --concurrency <n>         examples at once (default: CPU cores in replay, 8 otherwise)
      --workers <n|auto>        replay on n worker threads; 0 = main thread only (default auto:
                                1,000+ examples on 2+ cores, cores − 1 threads, started
                                when 100 timed examples say the rest would take 3 s or more)

Output
  -o, --out-dir <dir>           where reports go (default .evalgate/); one run at a time per folder
  -r, --reporter <name>         console, json, junit, markdown, github, html, otlp (repeatable; overrides config)
      --upload / --no-upload    force the LangSmith upload on or off (default: on when LANGSMITH_API_KEY is set)
      --require-upload          exit 1 if the upload fails (it never changes verdicts otherwise)
  -c, --config <path>           config file (default eval.config.ts)
  -h, --help, -v, --version

Verdicts (expected pass flag × what happened)
  pass: true  and passes  → ok              pass: false and fails  → known failure
  pass: true  and fails   → REGRESSION      pass: false and passes → fixed (fails under --strict)
  An error (agent threw, timed out, missing, stale or unused recording, unrecorded tool call) is a
  REGRESSION whatever the flag says: an example that could not be judged never passes the gate.
  fails: [check, …] on a pass: false example names the checks it is expected to fail; failing any
  other check is a REGRESSION too. An example that sets no check is a dataset problem (exit 2).

Exit codes
  0  the gate passed      1  the gate failed (a regression, or fixed under --strict)
  2  the run could not be judged: config or dataset problems, each listed as file:line:col: field: problem

Checks available in an example's \`expect:\` block
${scorers}

Examples
${examples(command)}
`;
}
