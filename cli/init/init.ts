import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { nearestWord } from "../../core/nearest-word.ts";
import { evalScript, runningPackageManager } from "../package-manager.ts";
import { adapterTemplate, configTemplate, datasetTemplate, workflowTemplate, type PackageManager } from "./templates.ts";

export interface InitOptions {
  /** The project folder (the current directory). */
  dir: string;
  graph: string;
  /** An existing function to wrap, as `path/to/module.ts#exportName`. */
  wrap?: string;
  /** For npm_config_user_agent: which package manager runs init when the project has no lockfile yet. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Sets evalgate up in an existing project: config, one adapter, one dataset, the package script,
 * the .gitignore line and a workflow. Never overwrites a file: it says what it skipped and why.
 * Returns the exit code (2 for arguments it cannot use).
 */
export function initProject(opts: InitOptions, say: (line: string) => void): number {
  if (!/^[a-z][a-z0-9_]*$/.test(opts.graph)) {
    say(`evalgate init: --graph takes a snake_case name such as faq_bot (got "${opts.graph}")`);
    return 2;
  }
  const wrapped = opts.wrap ? wrapTarget(opts.dir, opts.wrap) : null;
  if (wrapped && "error" in wrapped) {
    say(`evalgate init: ${wrapped.error}`);
    return 2;
  }
  const { pm, note: pmNote } = packageManagerOf(opts.dir, opts.env ?? process.env);
  const command = evalScript(pm.name);
  const files: Array<[string, string]> = [
    ["eval.config.ts", configTemplate(opts.graph)],
    [`evals/${opts.graph}.ts`, adapterTemplate(opts.graph, wrapped)],
    [`datasets/${opts.graph}/v1.yaml`, datasetTemplate(opts.graph, wrapped !== null, command)],
    [".github/workflows/evalgate.yml", workflowTemplate(pm)],
  ];
  let wroteWorkflow = false;
  for (const [file, text] of files) {
    const path = join(opts.dir, file);
    if (existsSync(path)) {
      say(`  skipped ${file} (it exists; evalgate never overwrites a file)`);
      // A second graph in a project that has a config: the one edit init will not make, spelled out.
      if (file === "eval.config.ts" && !declaresGraph(readFileSync(path, "utf8"), opts.graph)) {
        say(`  note    eval.config.ts has no graph "${opts.graph}" yet: add  ${opts.graph}: "./evals/${opts.graph}.ts",  to its graphs, or the dataset cannot run`);
      }
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    if (file.startsWith(".github/")) wroteWorkflow = true;
    say(`  wrote   ${file}`);
  }
  say(`  ${addScript(opts.dir)}`);
  say(`  ${addIgnore(opts.dir)}`);
  const moduleNote = commonJsNote(opts.dir);
  if (moduleNote) say(`  ${moduleNote}`);
  // About the workflow's install step: nothing to say when an existing workflow was kept.
  if (pmNote && wroteWorkflow) say(`  ${pmNote}`);
  const replay = evalScript(pm.name, false);
  say("");
  say(wrapped ? `Next: record the example (OPENAI_API_KEY=… ${command} --record), then ${replay} replays it with no key and no network.` : `Next: ${replay} (the stub passes), then call your agent in evals/${opts.graph}.ts and record: OPENAI_API_KEY=… ${command} --record`);
  return 0;
}

/**
 * How the project installs packages, so the workflow does the same: package.json's packageManager
 * first, then the lockfile, then whoever is running init. pnpm without a packageManager field gets
 * its version in the workflow, since pnpm/action-setup refuses to guess one.
 */
function packageManagerOf(dir: string, env: NodeJS.ProcessEnv): { pm: PackageManager; note: string | null } {
  const path = join(dir, "package.json");
  const field = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { packageManager?: unknown }).packageManager : undefined;
  const declared = typeof field === "string" ? field.split("@")[0]! : "";
  const running = runningPackageManager(env);
  const runningPnpm = running?.name === "pnpm" ? running.major : null;
  const has = (file: string) => existsSync(join(dir, file));
  const pinPnpm = (): { pm: PackageManager; note: string } => {
    const version = runningPnpm ?? "10";
    return { pm: { name: "pnpm", version }, note: `note    package.json names no "packageManager", so the workflow pins pnpm ${version} (pnpm/action-setup needs a version); to keep it in one place, add "packageManager": "pnpm@<version>" and drop the workflow's \`version\`` };
  };
  if (declared === "pnpm") return { pm: { name: "pnpm", version: null }, note: null };
  if (declared === "npm" || (!declared && has("package-lock.json"))) return { pm: { name: "npm" }, note: null };
  if (!declared && has("pnpm-lock.yaml")) return pinPnpm();
  const other = declared || ["yarn.lock", "bun.lock", "bun.lockb"].find(has)?.replace(/\.lockb?$/, "");
  if (other) return { pm: { name: "npm" }, note: `note    this project uses ${other}: the workflow installs with \`npm ci\`; change its install step (and the eval commands) to ${other}'s` };
  if (runningPnpm) return pinPnpm();
  return { pm: { name: "npm" }, note: "note    no lockfile yet: the workflow installs with `npm ci`, which needs package-lock.json; commit the one `npm install` writes" };
}

/** Whether a config's text names the graph as a key (graphs: { faq_bot: … } or "faq_bot": …). */
function declaresGraph(config: string, graph: string): boolean {
  return new RegExp(`(^|[\\s{,])["']?${graph}["']?\\s*:`, "m").test(config);
}

function wrapTarget(dir: string, spec: string): { module: string; exportName: string } | { error: string } {
  const [file, exportName] = spec.split("#");
  if (!file || !exportName) return { error: `--wrap takes path/to/module.ts#exportName (got "${spec}")` };
  if (!existsSync(join(dir, file))) return { error: `--wrap: ${file} does not exist` };
  const exported = exportNames(readFileSync(join(dir, file), "utf8"));
  if (exported && !exported.includes(exportName)) {
    const meant = nearestWord(exportName, exported);
    return { error: `--wrap: ${file} has no export "${exportName}"${meant ? `; did you mean "${meant}"?` : ""} (it exports ${exported.length ? exported.join(", ") : "nothing"})` };
  }
  // Imported from evals/, written without an extension, as bundler-era code imports.
  const module = relative(join(dir, "evals"), join(dir, file)).split("\\").join("/").replace(/\.(ts|tsx|mts|js|mjs)$/, "");
  return { module: module.startsWith(".") ? module : `./${module}`, exportName };
}

/**
 * The names a module's source exports, read from its text (init must not run the user's code to
 * ask), or null when it re-exports another module's names (export * from …) and cannot tell.
 */
function exportNames(source: string): string[] | null {
  if (/^\s*export\s*\*/m.test(source)) return null;
  const names = new Set<string>();
  for (const m of source.matchAll(/^\s*export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  if (/^\s*export\s+default\b/m.test(source)) names.add("default");
  for (const m of source.matchAll(/^\s*export\s*(?:type\s*)?\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name && !part.trim().startsWith("type ")) names.add(name);
    }
  }
  return [...names];
}

function addScript(dir: string): string {
  const path = join(dir, "package.json");
  if (!existsSync(path)) return "skipped package.json (none here: run `npm init -y` first, then add \"eval\": \"evalgate\" to its scripts)";
  const text = readFileSync(path, "utf8");
  const pkg = JSON.parse(text) as { scripts?: Record<string, string> };
  if (pkg.scripts?.eval) return `skipped package.json script "eval" (it exists: ${JSON.stringify(pkg.scripts.eval)})`;
  pkg.scripts = { ...pkg.scripts, eval: "evalgate" };
  const indent = /^(\s+)"/m.exec(text)?.[1] ?? "  ";
  writeFileSync(path, `${JSON.stringify(pkg, null, indent)}\n`);
  return 'added   package.json script "eval": "evalgate"';
}

/**
 * `npm init -y` writes "type": "commonjs". The files init writes use `export default`, which
 * evalgate loads anyway, but Node first tries them as CommonJS and warns about it on every run.
 */
function commonJsNote(dir: string): string | null {
  const path = join(dir, "package.json");
  if (!existsSync(path)) return null;
  const pkg = JSON.parse(readFileSync(path, "utf8")) as { type?: unknown };
  if (pkg.type === "module") return null;
  return 'note    package.json has no "type": "module": evalgate runs, but Node warns "Failed to load the ES module" for eval.config.ts and the adapter on each run; add "type": "module" to silence it (if your own .js files are CommonJS, keep them as they are and ignore the warning)';
}

function addIgnore(dir: string): string {
  const path = join(dir, ".gitignore");
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (/^\/?\.evalgate\/?$/m.test(text)) return "skipped .gitignore (it already ignores .evalgate/)";
  writeFileSync(path, `${text}${text && !text.endsWith("\n") ? "\n" : ""}# evalgate's reports (CI keeps them as an artifact)\n.evalgate/\n`);
  return text ? "added   .evalgate/ to .gitignore" : "wrote   .gitignore";
}
