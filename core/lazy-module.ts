import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const requireHere = createRequire(import.meta.url);

/**
 * Loads a package's ES build synchronously the first time it is needed (Node 22.12+ can require an
 * ES module), for code that must stay synchronous but should not make every run pay for a large
 * package at start-up. The ES entry is resolved and required, not the package's CommonJS build, so
 * the classes are the very ones the user's own `import`s see.
 */
export function requireEsm<T>(specifier: string): T {
  return requireHere(fileURLToPath(import.meta.resolve(specifier))) as T;
}

/**
 * `requireEsm(specifier)` the first time the returned function is called, and the same module
 * after: for packages only some runs use (statistics for trials, price data for LLM calls, the
 * located YAML parser for files with problems), so start-up pays only for what a run needs.
 */
export function lazily<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireEsm<T>(specifier));
}
