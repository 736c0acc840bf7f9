import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import module from "node:module";
import { basename, dirname, join } from "node:path";

/**
 * The user's TypeScript (eval.config.ts, the agents) stripped of its types once, and the JavaScript
 * kept beside Node's compile cache. Node strips types with a WebAssembly build of swc that it loads
 * on the first .ts file of every process: about 30 ms of a 0.25 s run, every run, for files that
 * rarely change. A load hook answers a .ts file Node would strip itself ("module-typescript") from
 * the kept copy; a new or edited file is stripped exactly as Node would (same mode, same sourceURL
 * comment) and kept for the next run.
 *
 * On only where the result is the same as Node's own: synchronous hooks and stripTypeScriptTypes
 * exist (Node 22.15+), Node strips rather than transforms, no source maps are asked for, and the
 * compile cache is on (its folder is where the copies go; NODE_DISABLE_COMPILE_CACHE=1 turns both
 * off). CommonJS TypeScript and anything Node would refuse are left to Node, which reports them as
 * it always does.
 */
export function keepStrippedTypeScript(): void {
  if (installed) return;
  installed = true;
  const folder = cacheFolder();
  if (folder === null) return;
  module.registerHooks({
    load(url, context, nextLoad) {
      const loaded = nextLoad(url, context);
      // Under node_modules Node refuses to strip (the tsx fallback takes those): left to Node, as before.
      if (loaded.format !== "module-typescript" || !url.startsWith("file:") || url.includes("/node_modules/") || loaded.source == null) return loaded;
      const source = typeof loaded.source === "string" ? loaded.source : Buffer.from(loaded.source as Uint8Array).toString("utf8");
      const javascript = strippedCopy(folder, url, source);
      return javascript === null ? loaded : { ...loaded, format: "module", source: javascript };
    },
  });
}

let installed = false;

function cacheFolder(): string | null {
  if (typeof module.registerHooks !== "function" || typeof module.stripTypeScriptTypes !== "function") return null;
  if (process.features.typescript !== "strip" || process.sourceMapsEnabled) return null;
  const compileCache = module.getCompileCacheDir?.();
  // The compile cache's own folder is per Node version; the copies live beside it, under the same name.
  return compileCache ? join(dirname(compileCache), "evalgate-typescript", basename(compileCache)) : null;
}

/** The file's JavaScript from the kept copy, or stripped now and kept; null leaves the file to Node. */
function strippedCopy(folder: string, url: string, source: string): string | null {
  const file = join(folder, `${createHash("sha256").update(`${process.version}\0${url}\0`).update(source).digest("hex")}.js`);
  try {
    return readFileSync(file, "utf8");
  } catch {
    // Not kept yet: stripped below.
  }
  let javascript: string;
  try {
    javascript = withoutExperimentalWarning(() => module.stripTypeScriptTypes(source, { mode: "strip", sourceUrl: url }));
  } catch {
    // Syntax Node cannot strip (an enum, a parameter property): Node raises its own error for it.
    return null;
  }
  try {
    mkdirSync(folder, { recursive: true });
    // Through a rename, so a run reading it at the same moment never sees half a file.
    const partial = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(partial, javascript);
    renameSync(partial, file);
  } catch {
    // A read-only cache folder only costs the next run its speed.
  }
  return javascript;
}

/** Node calls stripTypeScriptTypes experimental; what it strips here is what its loader would strip anyway. */
function withoutExperimentalWarning<T>(fn: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning instanceof Error ? warning.message : warning).includes("stripTypeScriptTypes")) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return fn();
  } finally {
    process.emitWarning = emit;
  }
}
