import { readFile } from "node:fs/promises";
import { basename, dirname, relative, resolve } from "node:path";
import fg from "fast-glob";
import { isMap, isSeq } from "yaml";
import type { Agent } from "../core/agent.ts";
import { DatasetFile, defaultRecordingsDir, type Dataset, type LocatedExample } from "../core/dataset.ts";
import type { Problem } from "./problems.ts";
import { parseYamlSource, type YamlSource } from "./yaml-source.ts";

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
export async function loadDatasets(rootDir: string, patterns: string | string[], agents: ReadonlyMap<string, Agent>): Promise<DatasetLoad> {
  const files = (await fg(patterns, { cwd: rootDir, onlyFiles: true, dot: false })).sort();
  const datasets: Dataset[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const absFile = resolve(rootDir, file);
    const src = parseYamlSource(file, await readFile(absFile, "utf8"));
    if (src.syntaxProblems.length) {
      problems.push(...src.syntaxProblems);
      continue;
    }
    const raw = src.doc.toJS() as unknown;
    const fileProblems = [...schemaProblems(src, raw), ...semanticProblems(src, raw, file, agents)];
    problems.push(...fileProblems);
    if (fileProblems.length) continue;
    const data = DatasetFile.parse(raw);
    const key = `${data.graph}@v${data.version}`;
    if (seen.has(key)) {
      problems.push(src.problem(["version"], `${key} is also defined in ${seen.get(key)}; bump the version or merge the files`));
      continue;
    }
    seen.set(key, file);
    const examples: LocatedExample[] = data.examples.map((example, i) => ({ ...example, ...src.locate(["examples", i]) }));
    datasets.push({
      graph: data.graph,
      version: data.version,
      description: data.description,
      file,
      absFile,
      recordingsDir: resolve(dirname(absFile), data.recordings ?? defaultRecordingsDir(data.version)),
      examples,
    });
  }
  return { datasets, problems, files };
}

function schemaProblems(src: YamlSource, raw: unknown): Problem[] {
  const parsed = DatasetFile.safeParse(raw);
  if (parsed.success) return [];
  return parsed.error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => src.problem(issue.path, `unknown key "${key}"${suggest(key)}`, key));
    }
    const message = issue.code === "invalid_type" && issue.input === undefined ? `required field is missing (${issue.message})` : issue.message;
    return [src.problem(issue.path, message)];
  });
}

const KNOWN_KEYS = ["must_contain", "must_not_contain", "regex", "must_not_match", "match", "tools_called", "tool_order", "tools_not_called", "max_steps", "max_tokens", "max_cost_usd", "spans", "data", "description", "tags", "input", "tools", "expect", "pass", "timeout_ms", "recordings", "examples", "graph", "version"];

function suggest(key: string): string {
  // The closest known key by edit distance; a shared prefix only breaks ties.
  let best: { key: string; distance: number; prefix: number } | null = null;
  for (const known of KNOWN_KEYS) {
    if (known === key) continue;
    const distance = editDistance(known, key);
    let prefix = 0;
    while (prefix < known.length && known[prefix] === key[prefix]) prefix++;
    if (!best || distance < best.distance || (distance === best.distance && prefix > best.prefix)) best = { key: known, distance, prefix };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? `; did you mean "${best.key}"?` : "";
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Checks that need more than the schema; they read the raw data so they run even when it has schema errors. */
function semanticProblems(src: YamlSource, raw: unknown, file: string, agents: ReadonlyMap<string, Agent>): Problem[] {
  if (!isMap(src.doc.contents)) return [];
  const out: Problem[] = [];
  const data = raw as { graph?: unknown; version?: unknown; examples?: unknown };
  const fromName = /^v(\d+)\.ya?ml$/.exec(basename(file));
  if (!fromName) out.push(src.problem([], `dataset files are named v<N>.yaml (got ${basename(file)})`));
  else if (typeof data.version === "number" && Number(fromName[1]) !== data.version) {
    out.push(src.problem(["version"], `version ${data.version} disagrees with the file name ${basename(file)}; rename the file or fix the version`));
  }
  const agent = typeof data.graph === "string" ? agents.get(data.graph) : undefined;
  if (typeof data.graph === "string") {
    if (!agent) out.push(src.problem(["graph"], `graph "${data.graph}" is not in eval.config.ts (known: ${[...agents.keys()].join(", ") || "none"})`));
    const dir = basename(dirname(file));
    if (dir !== data.graph && dir !== "datasets") out.push(src.problem(["graph"], `graph "${data.graph}" lives in folder "${dir}"; datasets go in datasets/<graph>/`));
  }
  if (!Array.isArray(data.examples) || !isSeq(src.doc.get("examples", true))) return out;
  const ids = new Map<string, number>();
  data.examples.forEach((example: any, i: number) => {
    if (typeof example?.id === "string") {
      if (ids.has(example.id)) out.push(src.problem(["examples", i, "id"], `duplicate id "${example.id}" (first used by examples[${ids.get(example.id)}])`));
      else ids.set(example.id, i);
    }
    if (agent && example?.input !== undefined) {
      const input = agent.input.safeParse(example.input);
      if (!input.success) {
        for (const issue of input.error.issues) {
          const unknown = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
          out.push(src.problem(["examples", i, "input", ...issue.path], `${issue.message} (input schema of agent ${agent.graph})`, unknown));
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
          out.push(src.problem(["examples", i, "expect", field, j], `invalid regular expression: ${(error as Error).message}`));
        }
      });
    }
  });
  return out;
}

export function relativeTo(rootDir: string, abs: string): string {
  return relative(rootDir, abs).split("\\").join("/");
}
