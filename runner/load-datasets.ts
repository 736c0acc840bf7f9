import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { basename, dirname, relative, resolve } from "node:path";
import fg from "fast-glob";
import type { z } from "zod";
import type { Node } from "yaml";
import type { Agent } from "../core/agent.ts";
import { repliesPathFor } from "../core/replies.ts";
import { DatasetFile, defaultRecordingsDir, Example, type Dataset, type LocatedExample } from "../core/dataset.ts";
import { checksSetBy } from "../scorers/table.ts";
import { readUserFile } from "./file-text.ts";
import type { Problem } from "./problems.ts";
import { parseYamlFast } from "./yaml-fast.ts";
import { parseYamlSource, yamlPackage, type YamlSource } from "./yaml-source.ts";
import { nearestWord } from "../core/nearest-word.ts";

export interface DatasetLoad {
  datasets: Dataset[];
  problems: Problem[];
  /** Files the glob matched, relative to the root. */
  files: string[];
}

/**
 * Reads every dataset file and collects every problem (YAML syntax, schema, duplicate ids,
 * unknown graph, file name vs version, agent input schema, bad regex) before anyone fails.
 */
/** Documented limits (README, "Datasets"): past them a file is a problem to fix, not a crash. */
export const DATASET_LIMITS = {
  /** Bytes per dataset file. */
  maxBytes: 16 * 1024 * 1024,
  /** Alias expansions per file: 120 examples sharing one anchored list is normal; a billion laughs is not. */
  maxAliases: 10_000,
  /** Nesting of maps and lists. */
  maxDepth: 64,
} as const;

/**
 * Reads every dataset file and collects every problem (YAML syntax, schema, duplicate ids,
 * unknown graph, file name vs version, agent input schema, bad regex, no check) before anyone fails.
 */
export async function loadDatasets(rootDir: string, patterns: string | string[], agents: ReadonlyMap<string, Agent>): Promise<DatasetLoad> {
  const files = (await fg(patterns, { cwd: rootDir, onlyFiles: true, dot: false })).sort();
  const datasets: Dataset[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const absFile = resolve(rootDir, file);
    let loaded: Awaited<ReturnType<typeof loadDatasetFile>>;
    try {
      loaded = await loadDatasetFile(file, absFile, agents);
    } catch (error) {
      // A backstop: whatever a hostile file does to the parser, it is that file's problem.
      loaded = [{ file, line: 1, column: 1, path: "", message: `could not be read: ${(error as Error).message}` }];
    }
    if (Array.isArray(loaded)) {
      problems.push(...loaded);
      continue;
    }
    const key = `${loaded.dataset.graph}@v${loaded.dataset.version}`;
    if (seen.has(key)) {
      problems.push(loaded.problem(["version"], `${key} is also defined in ${seen.get(key)}; bump the version or merge the files`));
      continue;
    }
    seen.set(key, file);
    datasets.push(loaded.dataset);
  }
  return { datasets, problems, files };
}

async function loadDatasetFile(file: string, absFile: string, agents: ReadonlyMap<string, Agent>): Promise<{ dataset: Dataset; problem: Locator } | Problem[]> {
  const read = await readUserFile(absFile, DATASET_LIMITS.maxBytes);
  if (!read.ok) return [{ file, line: read.line ?? 1, column: read.column ?? 1, path: "", message: `the dataset file ${read.message}` }];
  const fast = parseYamlFast(read.text, DATASET_LIMITS.maxDepth);
  if (fast?.examplePositions) {
    // Problems need the located parse; a clean file never pays for it.
    const checked = validate(fast.value, file, agents, UNLOCATED, (i) => fast.examplePositions![i] ?? { line: 1, column: 1 });
    if (!Array.isArray(checked)) return { problem: (...args) => parseYamlSource(file, read.text).problem(...args), dataset: datasetOf(checked, file, absFile, read.text) };
  }
  const src = parseYamlSource(file, read.text);
  if (src.syntaxProblems.length) return firstSyntaxProblems(src.syntaxProblems.map(explainParserLimit));
  const deep = tooDeep(src.doc.contents, DATASET_LIMITS.maxDepth);
  if (deep) return [src.problemAt(deep, `nested more than ${DATASET_LIMITS.maxDepth} levels deep; evalgate reads at most ${DATASET_LIMITS.maxDepth}`)];
  let raw: unknown;
  try {
    raw = src.doc.toJS({ maxAliasCount: DATASET_LIMITS.maxAliases });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const message = `YAML aliases expand to more than ${DATASET_LIMITS.maxAliases} nodes (a guard against resource exhaustion); write the repeated data out or split the file`;
    const alias = firstAlias(src.doc);
    return [alias ? src.problemAt(alias, message) : { file, line: 1, column: 1, path: "", message }];
  }
  const checked = validate(raw, file, agents, src.problem, (i) => src.locate(["examples", i]));
  return Array.isArray(checked) ? checked : { problem: src.problem, dataset: datasetOf(checked, file, absFile, read.text) };
}

/** Says where a problem is: the located parse's `problem`, or a placeholder on the fast path. */
type Locator = (path: readonly PropertyKey[], message: string, unknownKey?: string) => Problem;
const UNLOCATED: Locator = (_path, message) => ({ file: "", line: 0, column: 0, path: "", message });

interface Checked {
  data: DatasetFile;
  examples: LocatedExample[];
}

/** Every check a dataset file goes through once it is data; the same on both paths. */
function validate(raw: unknown, file: string, agents: ReadonlyMap<string, Agent>, problem: Locator, exampleAt: (i: number) => { line: number; column: number }): Checked | Problem[] {
  // reportInput: a field given with the wrong type ("pass: yes") is not a missing one.
  const parsed = DatasetFile.safeParse(raw, { reportInput: true });
  const fileProblems = [...(parsed.success ? [] : schemaProblems(problem, parsed.error)), ...semanticProblems(problem, raw, file, agents)];
  if (!parsed.success || fileProblems.length) return [...fileProblems, ...checksOfValidExamples(raw, problem, exampleAt)];
  const data = parsed.data;
  const examples: LocatedExample[] = data.examples.map((example, i) => ({ ...example, ...exampleAt(i) }));
  const checkProblems = examples.flatMap((example, i) => [...checkSetProblems(problem, example, i), ...trialProblems(problem, example, i, data.trials)]);
  return checkProblems.length ? checkProblems : { data, examples };
}

/**
 * The example checks for a file that failed elsewhere, on each example that is valid on its own:
 * one bad example (or a bad header) must not hide another's "sets no check" until the next run.
 */
function checksOfValidExamples(raw: unknown, problem: Locator, exampleAt: (i: number) => { line: number; column: number }): Problem[] {
  const data = (typeof raw === "object" && raw !== null ? raw : {}) as { examples?: unknown; trials?: unknown };
  if (!Array.isArray(data.examples)) return [];
  const trials = DatasetFile.shape.trials.safeParse(data.trials);
  return data.examples.flatMap((raw, i) => {
    const one = Example.safeParse(raw);
    if (!one.success) return [];
    const example: LocatedExample = { ...one.data, ...exampleAt(i) };
    return [...checkSetProblems(problem, example, i), ...trialProblems(problem, example, i, trials.success ? trials.data : undefined)];
  });
}

function datasetOf({ data, examples }: Checked, file: string, absFile: string, text: string): Dataset {
  return {
    graph: data.graph,
    version: data.version,
    description: data.description,
    file,
    absFile,
    contentHash: createHash("sha256").update(text).digest("hex"),
    recordingsDir: resolve(dirname(absFile), data.recordings ?? defaultRecordingsDir(data.version)),
    ...(existsSync(repliesPathFor(dirname(absFile), data.version)) ? { repliesFile: repliesPathFor(dirname(absFile), data.version) } : {}),
    ...(data.trials !== undefined ? { trials: data.trials } : {}),
    examples,
  };
}

/**
 * No silent pass: an example must set at least one check, and a known failure's `fails` may only
 * name checks it sets (otherwise it could never fail the way it says).
 */
function checkSetProblems(problem: Locator, example: LocatedExample, i: number): Problem[] {
  const set = checksSetBy(example);
  if (set.length === 0) {
    return [problem(["examples", i, "expect"], `example "${example.id}" sets no check, so it would pass whatever the agent does; add one of expect's checks: must_contain, must_not_contain, regex, must_not_match, tools_called, tool_order, tools_not_called, spans, data, judge, or a budget (max_steps, max_tokens, max_cost_usd)`)];
  }
  if (example.fails === undefined) return [];
  if (example.pass) return [problem(["examples", i, "fails"], "fails lists the checks a known failure is expected to fail; it goes with pass: false")];
  return example.fails.flatMap((name, j) => (set.includes(name) ? [] : [problem(["examples", i, "fails", j], `"${name}" is not a check this example sets (it sets: ${set.join(", ")})`)]));
}

/** A pass rate is a claim about many runs: it needs trials to be judged against. */
function trialProblems(problem: Locator, example: LocatedExample, i: number, datasetTrials: number | undefined): Problem[] {
  const trials = example.trials ?? datasetTrials ?? 1;
  if (example.pass_rate !== undefined && trials < 2) return [problem(["examples", i, "pass_rate"], `pass_rate needs trials: set trials: 10 (or more) on the example or the dataset; one run cannot show a rate`)];
  if (example.fails !== undefined && example.pass_rate !== undefined) return [problem(["examples", i, "fails"], "fails goes with pass: false, not with pass_rate")];
  return [];
}

/** One broken indent can cascade into hundreds of errors; the first ones are what the user fixes. */
const SHOWN_SYNTAX_PROBLEMS = 10;
function firstSyntaxProblems(problems: Problem[]): Problem[] {
  if (problems.length <= SHOWN_SYNTAX_PROBLEMS) return problems;
  const last = problems[SHOWN_SYNTAX_PROBLEMS - 1]!;
  return [...problems.slice(0, SHOWN_SYNTAX_PROBLEMS), { ...last, message: `… and ${problems.length - SHOWN_SYNTAX_PROBLEMS} more YAML errors after this line (fix the first ones first)` }];
}

/** The parser's own stack overflow on deep nesting reads like a crash; say what it is. */
function explainParserLimit(problem: Problem): Problem {
  if (!/Maximum call stack size exceeded/.test(problem.message)) return problem;
  return { ...problem, message: `nested too deeply for the YAML parser; evalgate reads at most ${DATASET_LIMITS.maxDepth} levels` };
}

function firstAlias(doc: YamlSource["doc"]): Node | null {
  let found: Node | null = null;
  const { visit } = yamlPackage();
  visit(doc, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/** The first node deeper than `max` levels, found without recursion (the point is hostile depth). */
function tooDeep(root: unknown, max: number): Node | null {
  const { isMap, isSeq, isPair } = yamlPackage();
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth >= max) return node;
      for (const item of node.items) {
        if (isPair(item)) {
          stack.push({ node: item.value, depth: depth + 1 });
          if (isMap(item.key) || isSeq(item.key)) stack.push({ node: item.key, depth: depth + 1 });
        } else stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return null;
}

function schemaProblems(problem: Locator, error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => problem(issue.path, `unknown key "${key}"${suggest(key)}`, key));
    }
    const message = issue.code === "invalid_type" && issue.input === undefined ? `required field is missing (${issue.message})` : issue.message;
    // YAML 1.1 read yes/no/on/off as booleans; YAML 1.2 (what is parsed here) reads them as strings.
    if (issue.code === "invalid_type" && issue.expected === "boolean" && typeof issue.input === "string" && /^(yes|no|on|off|y|n)$/i.test(issue.input)) {
      return [problem(issue.path, `${message}: "${issue.input}" is a string in YAML 1.2; write ${/^(yes|on|y)$/i.test(issue.input) ? "true" : "false"}`)];
    }
    return [problem(issue.path, message)];
  });
}

const KNOWN_KEYS = ["must_contain", "must_not_contain", "regex", "must_not_match", "match", "tools_called", "tool_order", "tools_not_called", "max_steps", "max_tokens", "max_cost_usd", "spans", "data", "description", "tags", "input", "tools", "expect", "pass", "fails", "timeout_ms", "recordings", "examples", "graph", "version"];

function suggest(key: string): string {
  const meant = nearestWord(key, KNOWN_KEYS);
  return meant ? `; did you mean "${meant}"?` : "";
}

/** Checks that need more than the schema; they read the raw data so they run even when it has schema errors. */
function semanticProblems(problem: Locator, raw: unknown, file: string, agents: ReadonlyMap<string, Agent>): Problem[] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return [];
  const out: Problem[] = [];
  const data = raw as { graph?: unknown; version?: unknown; examples?: unknown };
  const fromName = /^v(\d+)\.ya?ml$/.exec(basename(file));
  if (!fromName) out.push(problem([], `dataset files are named v<N>.yaml (got ${basename(file)})`));
  else if (typeof data.version === "number" && Number(fromName[1]) !== data.version) {
    out.push(problem(["version"], `version ${data.version} disagrees with the file name ${basename(file)}; rename the file or fix the version`));
  }
  const agent = typeof data.graph === "string" ? agents.get(data.graph) : undefined;
  if (typeof data.graph === "string") {
    if (!agent) out.push(problem(["graph"], `graph "${data.graph}" is not in eval.config.ts (known: ${[...agents.keys()].join(", ") || "none"})`));
    const dir = basename(dirname(file));
    if (dir !== data.graph && dir !== "datasets") out.push(problem(["graph"], `graph "${data.graph}" lives in folder "${dir}"; datasets go in datasets/<graph>/`));
  }
  if (!Array.isArray(data.examples)) return out;
  const ids = new Map<string, number>();
  data.examples.forEach((example: any, i: number) => {
    if (typeof example?.id === "string") {
      if (ids.has(example.id)) out.push(problem(["examples", i, "id"], `duplicate id "${example.id}" (first used by examples[${ids.get(example.id)}])`));
      else ids.set(example.id, i);
    }
    if (agent && example?.input !== undefined) {
      const input = agent.input.safeParse(example.input);
      if (!input.success) {
        for (const issue of input.error.issues) {
          const unknown = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
          out.push(problem(["examples", i, "input", ...issue.path], `${issue.message} (input schema of agent ${agent.graph})`, unknown));
        }
      }
    }
    for (const field of ["regex", "must_not_match"] as const) {
      const list = example?.expect?.[field];
      if (!Array.isArray(list)) continue;
      list.forEach((spec: any, j: number) => {
        const pattern = typeof spec === "string" ? spec : spec?.pattern;
        if (typeof pattern !== "string") return;
        try {
          new RegExp(pattern, typeof spec === "object" ? spec.flags ?? "" : "");
        } catch (error) {
          out.push(problem(["examples", i, "expect", field, j], `invalid regular expression: ${(error as Error).message}`));
        }
      });
    }
  });
  return out;
}

export function relativeTo(rootDir: string, abs: string): string {
  return relative(rootDir, abs).split("\\").join("/");
}
