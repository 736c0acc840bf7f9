import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Agent } from "../core/agent.ts";
import { EvalConfig, graphEntryPath } from "../core/config.ts";
import { nearestWord } from "../core/nearest-word.ts";
import { formatPath, ProblemsError, type Problem } from "./problems.ts";
import { keysAt } from "./schema-keys.ts";
import { thrownAt } from "./thrown-at.ts";
import { keepStrippedTypeScript } from "./typescript-cache.ts";

export interface LoadedConfig {
  config: EvalConfig;
  /** Absolute path of eval.config.ts. */
  file: string;
  /** The directory holding the config: paths in config and reports are relative to it. */
  rootDir: string;
  agents: Map<string, Agent>;
  /** Absolute path of each graph's agent module (its hash goes into the report as the prompt hash). */
  agentFiles: Map<string, string>;
}

let userCode: { import: (specifier: string, parent: string) => Promise<unknown> } | null = null;

/**
 * What Node's own loader refuses in TypeScript written for a bundler: extensionless or directory
 * imports, tsconfig `paths`, enums and other non-erasable syntax, decorators, TypeScript under
 * node_modules. All of them fail before any module of the graph has run, so trying again is safe.
 */
const NEEDS_A_LOADER = new Set(["ERR_MODULE_NOT_FOUND", "ERR_UNSUPPORTED_DIR_IMPORT", "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX", "ERR_INVALID_TYPESCRIPT_SYNTAX", "ERR_UNKNOWN_FILE_EXTENSION", "ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING"]);

/**
 * The user's config and agents load as they wrote them. Code that follows Node's rules loads
 * natively (the fast path: no transform); anything else goes through tsx (esbuild: fast, and the
 * loader most TypeScript projects already run), in one namespace so shared modules load once.
 */
async function importUserModule(file: string): Promise<{ default?: unknown }> {
  keepStrippedTypeScript();
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as { default?: unknown };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof SyntaxError) && !(code !== undefined && NEEDS_A_LOADER.has(code))) throw error;
  }
  // tsx is imported only here: most projects load natively and never pay for it.
  userCode ??= (await import("tsx/esm/api")).register({ namespace: "evalgate-user-code" });
  return esModuleOf((await userCode.import(url, import.meta.url)) as { default?: unknown });
}

/**
 * A file written with `export default` in a package whose package.json says "type": "commonjs"
 * (what `npm init` writes today) is compiled to CommonJS, and its exports arrive one level down:
 * the namespace's default is `{ default: <what the file exported> }`, marked `__esModule`.
 */
function esModuleOf(namespace: { default?: unknown }): { default?: unknown } {
  const exports = namespace.default as { __esModule?: unknown; default?: unknown } | null | undefined;
  if (exports !== null && typeof exports === "object" && exports.__esModule === true && "default" in exports) return { default: exports.default };
  return namespace;
}

/**
 * Why a module did not load, in one line: the error's first line, and when that line only
 * announces what follows ("Transform failed with 1 error:"), the lines it announces, which hold
 * the file:line:col; paths inside the project relative to it.
 */
function loadError(error: unknown, rootDir: string): string {
  const lines = (error instanceof Error ? error.message : String(error)).split("\n").map((line) => line.trim()).filter(Boolean);
  const shown = lines[0]?.endsWith(":") ? lines.slice(0, 4) : lines.slice(0, 1);
  // A module that throws while it loads: where, in the project's own code.
  // (A SyntaxError of the module's own text has no frame of the user's; one its code raised, JSON.parse's, does.)
  const at = error instanceof Error ? thrownAt(error.stack, (path) => relative(rootDir, path).split(sep).join("/")) : null;
  return `${shown.join(" ").split(`${rootDir}${sep}`).join("")}${at ? ` (thrown at ${at})` : ""}`;
}

export async function loadConfig(configPath: string): Promise<LoadedConfig> {
  const file = resolve(configPath);
  const rootDir = dirname(file);
  const rel = relative(process.cwd(), file) || file;
  if (!existsSync(file)) {
    throw new ProblemsError(`no config at ${rel}`, [{ file: rel, line: 1, column: 1, path: "", message: "file not found" }], "create eval.config.ts (see README) or pass --config <path>");
  }
  let raw: unknown;
  try {
    raw = (await importUserModule(file)).default;
  } catch (error) {
    const message = loadError(error, rootDir);
    // The TypeScript loader's own "eval.config.ts:9:0: ERROR: …" is where the problem is (its columns count from 0).
    const at = new RegExp(`(?:^|\\s)${basename(file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+):(\\d+):`).exec(message);
    const where = at ? { line: Number(at[1]), column: Number(at[2]) + 1 } : { line: 1, column: 1 };
    throw new ProblemsError(`cannot load ${rel}`, [{ file: rel, ...where, path: "", message: `cannot load: ${message}` }], `node ${rel} shows the full error`);
  }
  const text = readFileSync(file, "utf8");
  const parsed = EvalConfig.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue): Problem[] => {
      if (issue.code === "unrecognized_keys") {
        // Each unknown key at its own line, with the key it most likely meant ("timeoutMS" → "timeoutMs").
        const known = keysAt(EvalConfig, issue.path);
        return issue.keys.map((key) => {
          const meant = nearestWord(key, known);
          const path = [...issue.path, key];
          return { file: rel, ...findKeyPosition(text, path), path: formatPath(path), message: `unknown key "${key}"${meant ? `; did you mean "${meant}"?` : ""}` };
        });
      }
      // zod reports a bad record key generically; the schema's own words are in the inner issue.
      const message = issue.code === "invalid_key" ? issue.issues[0]?.message ?? issue.message : issue.message;
      return [{ file: rel, ...findKeyPosition(text, issue.path), path: formatPath(issue.path), message }];
    });
    throw new ProblemsError(`${rel} is not a valid evalgate config`, problems, "fix the fields above; the README's Configuration section lists them");
  }
  const config = parsed.data;
  const agents = new Map<string, Agent>();
  const agentFiles = new Map<string, string>();
  const problems: Problem[] = [];
  for (const [graph, entry] of Object.entries(config.graphs)) {
    const modulePath = resolve(rootDir, graphEntryPath(entry));
    const where = { file: rel, ...findKeyPosition(text, ["graphs", graph]), path: `graphs.${graph}` };
    if (!existsSync(modulePath)) {
      problems.push({ ...where, message: `agent module ${relative(rootDir, modulePath)} does not exist` });
      continue;
    }
    try {
      const agent = (await importUserModule(modulePath)).default as Agent | undefined;
      const why = !agent ? "has no default export" : typeof agent.run !== "function" ? "default export has no run()" : typeof agent.input?.safeParse !== "function" ? "default export has no zod `input` schema" : agent.graph !== graph ? `default export is graph "${agent.graph}", not "${graph}"` : null;
      if (why) problems.push({ ...where, message: `agent module ${relative(rootDir, modulePath)} ${why} (export default defineAgent({...}))` });
      else {
        agents.set(graph, agent!);
        agentFiles.set(graph, modulePath);
      }
    } catch (error) {
      problems.push({ ...where, message: `agent module ${relative(rootDir, modulePath)} failed to load: ${loadError(error, rootDir)}` });
    }
  }
  if (problems.length) throw new ProblemsError(`${rel}: ${problems.length} graph(s) cannot be loaded`, problems, "fix the agent modules above");
  return { config, file, rootDir, agents, agentFiles };
}

/** Best effort: the line of the innermost key of `path` in the config's source text. */
function findKeyPosition(text: string, path: readonly PropertyKey[]): { line: number; column: number } {
  let offset = 0;
  let found = -1;
  for (const key of path) {
    if (typeof key !== "string") continue;
    const re = new RegExp(`(^|[\\s{,])["']?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*:`, "m");
    const m = re.exec(text.slice(offset));
    if (!m) break;
    found = offset + m.index + m[1]!.length;
    offset = found + 1;
  }
  if (found < 0) return { line: 1, column: 1 };
  const before = text.slice(0, found).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
