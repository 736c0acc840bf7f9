import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import fg from "fast-glob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type LoadedConfig } from "./load-config.ts";
import { loadDatasets } from "./load-datasets.ts";

/**
 * Seeded fuzzing of the shipped datasets: every mutant must load as valid, or be reported as
 * problems located at file:line:col, and never throw (an "internal error" for the user) or stall.
 */

const REPO = resolve(import.meta.dirname, "..");
const MUTANTS = 300;
const PER_MUTANT_BOUND_MS = 3_000;

/** mulberry32: small, fast, and the same sequence on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (text: string, pick: (n: number) => number) => string | Buffer;

const lines = (text: string) => text.split("\n");
const GARBAGE = [":", "{", "}", "[", "]", "- ", "&a ", "*a ", "!!int ", "|", ">", "'", '"', "#", "%", "@", "\t", "? ", ",", "\\", "\u0000", "\u00e9", "ü"];

const MUTATIONS: Record<string, Mutation> = {
  "delete a line": (t, pick) => { const l = lines(t); l.splice(pick(l.length), 1); return l.join("\n"); },
  "duplicate a line": (t, pick) => { const l = lines(t); const i = pick(l.length); l.splice(i, 0, l[i]!); return l.join("\n"); },
  "swap adjacent lines": (t, pick) => { const l = lines(t); const i = pick(l.length - 1); [l[i], l[i + 1]] = [l[i + 1]!, l[i]!]; return l.join("\n"); },
  "insert garbage": (t, pick) => { const at = pick(t.length); return t.slice(0, at) + GARBAGE[pick(GARBAGE.length)] + t.slice(at); },
  "truncate": (t, pick) => t.slice(0, pick(t.length)),
  "re-indent a line": (t, pick) => { const l = lines(t); const i = pick(l.length); l[i] = pick(2) ? ` ${" ".repeat(pick(3))}${l[i]}` : l[i]!.replace(/^ {1,3}/, ""); return l.join("\n"); },
  "change a scalar's type": (t, pick) => {
    const values = ["true", "null", "42", "-1", "3.5", '""', "[]", "{}", "~", "0x1F", "1e400", "2026-13-45"];
    const matches = [...t.matchAll(/: ([^\n{[]+)$/gm)];
    if (!matches.length) return t;
    const m = matches[pick(matches.length)]!;
    return t.slice(0, m.index! + 2) + values[pick(values.length)] + t.slice(m.index! + m[0].length);
  },
  "misspell a key": (t, pick) => {
    const matches = [...t.matchAll(/^(\s*-?\s*)([a-z_]+):/gm)];
    if (!matches.length) return t;
    const m = matches[pick(matches.length)]!;
    const key = m[2]!;
    const i = pick(key.length);
    const typo = key.slice(0, i) + key.slice(i + 1, i + 2) + key.slice(i, i + 1) + key.slice(i + 2);
    return t.slice(0, m.index! + m[1]!.length) + typo + t.slice(m.index! + m[1]!.length + key.length);
  },
  "bytes that are not UTF-8": (t, pick) => { const at = pick(t.length); return Buffer.concat([Buffer.from(t.slice(0, at)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(t.slice(at))]); },
  "a byte-order mark": (t) => `\uFEFF${t}`,
  "an alias to no anchor": (t, pick) => { const l = lines(t); const i = pick(l.length); l[i] = l[i]!.replace(/: .+$/, ": *missing"); return l.join("\n"); },
  "a billion laughs": (t) => `${t}\nlol0: &l0 [a, a, a, a, a, a, a, a, a, a]\n${Array.from({ length: 8 }, (_, i) => `lol${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(", ")}]`).join("\n")}\n`,
  "deep nesting": (t, pick) => `${t}\ndeep: ${"[".repeat(200 + pick(5000))}${"]".repeat(10)}\n`,
  "a huge line": (t, pick) => { const l = lines(t); l.splice(pick(l.length), 0, `    description: "${"x".repeat(200_000)}"`); return l.join("\n"); },
  "an empty example": (t) => t.replace(/^examples:\n/m, "examples:\n  - {}\n"),
  "expect: {}": (t) => t.replace(/^(\s+)expect:\n(\s+\S[^\n]*\n)+?(?=\1\S)/m, "$1expect: {}\n"),
  "fails on a passing example": (t) => t.replace(/^(\s+)pass: true$/m, "$1pass: true\n$1fails: [must_contain]"),
  "timeout far too long": (t) => t.replace(/^(\s+)pass: (true|false)$/m, "$1pass: $2\n$1timeout_ms: 3000000000"),
};

describe(`dataset loading survives ${MUTANTS} seeded mutants of the shipped datasets`, () => {
  let loaded: LoadedConfig;
  let shipped: Array<{ file: string; text: string }>;
  const roots: string[] = [];

  beforeAll(async () => {
    loaded = await loadConfig(join(REPO, "eval.config.ts"));
    const files = (await fg("datasets/*/v*.yaml", { cwd: REPO })).sort();
    shipped = await Promise.all(files.map(async (file) => ({ file, text: await readFile(join(REPO, file), "utf8") })));
  });
  afterAll(async () => {
    await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
  });

  it("every mutant is valid or located problems; none throws; each within the bound", async () => {
    const random = rng(20261203);
    const pick = (n: number) => Math.floor(random() * Math.max(1, n));
    const names = Object.keys(MUTATIONS);
    const counts = { valid: 0, problems: 0, byMutation: {} as Record<string, { valid: number; problems: number }> };
    let slowest = 0;
    for (let i = 0; i < MUTANTS; i++) {
      const source = shipped[i % shipped.length]!;
      const name = names[pick(names.length)]!;
      const mutant = MUTATIONS[name]!(source.text, pick);
      const root = await mkdtemp(join(tmpdir(), "evalgate-fuzz-"));
      roots.push(root);
      await mkdir(dirname(join(root, source.file)), { recursive: true });
      await writeFile(join(root, source.file), mutant);
      const started = performance.now();
      let result: Awaited<ReturnType<typeof loadDatasets>>;
      try {
        result = await loadDatasets(root, "datasets/*/v*.yaml", loaded.agents);
      } catch (error) {
        throw new Error(`mutant #${i} (${name} of ${source.file}) threw: ${(error as Error).stack}`);
      }
      const ms = performance.now() - started;
      slowest = Math.max(slowest, ms);
      expect(ms, `mutant #${i} (${name} of ${source.file})`).toBeLessThan(PER_MUTANT_BOUND_MS);
      const tally = (counts.byMutation[name] ??= { valid: 0, problems: 0 });
      if (result.problems.length === 0) {
        expect(result.datasets, `mutant #${i} (${name}) is valid, so it loads`).toHaveLength(1);
        counts.valid++;
        tally.valid++;
        continue;
      }
      counts.problems++;
      tally.problems++;
      for (const p of result.problems) {
        const where = `mutant #${i} (${name} of ${source.file}): ${JSON.stringify(p)}`;
        expect(p.file, where).toBe(relative(root, join(root, source.file)));
        expect(p.line, where).toBeGreaterThanOrEqual(1);
        expect(p.column, where).toBeGreaterThanOrEqual(1);
        expect(p.message.length, where).toBeGreaterThan(0);
        expect(p.message, where).not.toMatch(/internal error|Maximum call stack|Excessive alias/);
      }
    }
    // The note of the change that added this test quotes these figures.
    console.log(`fuzz: ${MUTANTS} mutants, ${counts.valid} valid, ${counts.problems} with located problems, slowest ${Math.round(slowest)} ms`, JSON.stringify(counts.byMutation));
    expect(counts.valid + counts.problems).toBe(MUTANTS);
    expect(counts.problems).toBeGreaterThan(MUTANTS / 3);
  }, 240_000);
});
