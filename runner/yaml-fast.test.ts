import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fg from "fast-glob";
import { describe, expect, it } from "vitest";
import { parseYamlFast } from "./yaml-fast.ts";
import { parseYamlSource } from "./yaml-source.ts";

const REPO = resolve(import.meta.dirname, "..");
const files = fg.sync(["datasets/*/v*.yaml", "test/fixtures/**/datasets/**/*.yaml", "datasets/*/authoring/*.yaml"], { cwd: REPO, absolute: true, ignore: ["**/node_modules/**"] });

/** What the located (slow) path reads: the data and where each example starts. */
function located(text: string) {
  const src = parseYamlSource("f.yaml", text);
  if (src.syntaxProblems.length) return null;
  const value = src.doc.toJS({ maxAliasCount: 10_000 });
  const examples = (value as { examples?: unknown })?.examples;
  const positions = Array.isArray(examples) ? examples.map((_, i) => src.locate(["examples", i])) : null;
  return { value, positions };
}

function mulberry(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("the fast YAML path reads what the located path reads", () => {
  it("finds the shipped datasets and fixtures", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [f.slice(REPO.length + 1), f]))("%s: same data, same example positions", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const fast = parseYamlFast(text, 64);
    const slow = located(text);
    expect(fast, "the shipped files are plain data: the fast path must take them").not.toBeNull();
    expect(fast!.value).toEqual(slow!.value);
    expect(fast!.examplePositions).toEqual(slow!.positions);
  });

  it("on 400 seeded mutants it either declines or agrees exactly", () => {
    const random = mulberry(7);
    const pick = (n: number) => Math.floor(random() * n);
    const garbage = [":", "{", "}", "[", "]", "- ", "&a ", "*a ", "!!str ", "|", ">", "'", '"', "#", "%YAML 1.2\n---\n", "\t", "? ", ",", "\\", "<<: ", " ", "\n"];
    let agreed = 0;
    let declined = 0;
    for (let n = 0; n < 400; n++) {
      let text = readFileSync(files[pick(files.length)]!, "utf8");
      for (let k = 0; k <= pick(3); k++) {
        const at = pick(text.length);
        text = text.slice(0, at) + garbage[pick(garbage.length)] + text.slice(at);
      }
      const fast = parseYamlFast(text, 64);
      if (!fast) {
        declined++;
        continue;
      }
      const slow = located(text);
      // Where the located parse refuses a text the fast path read, the loader falls back to it anyway
      // only if validation fails; a real disagreement on data would show here.
      if (!slow) continue;
      expect(fast.value, text).toEqual(slow.value);
      if (fast.examplePositions) expect(fast.examplePositions, text).toEqual(slow.positions);
      agreed++;
    }
    expect(agreed).toBeGreaterThan(50);
    expect(declined).toBeGreaterThan(20);
  });

  it("declines nested aliases, tags and directives, which the located path handles with its own limits", () => {
    expect(parseYamlFast("a: &x [1]\nb: *x\n", 64)!.value).toEqual({ a: [1], b: [1] });
    // An alias inside an anchored node is how a billion laughs starts.
    expect(parseYamlFast("a: &x [1]\nb: &y [*x, *x]\nc: [*y, *y]\n", 64)).toBeNull();
    expect(parseYamlFast(`a: &x 1\nb: [${Array(1001).fill("*x").join(", ")}]\n`, 64)).toBeNull();
    expect(parseYamlFast("a: !custom 1\n", 64)).toBeNull();
    expect(parseYamlFast("%YAML 1.2\n---\na: 1\n", 64)).toBeNull();
    expect(parseYamlFast("a: 1\na: 2\n", 64)).toBeNull();
    expect(parseYamlFast(`${"[".repeat(80)}${"]".repeat(80)}`, 64)).toBeNull();
  });

  it("gives each example's line and column, for flow items and items that start on the next line", () => {
    const fast = parseYamlFast("graph: g\nexamples:\n  - id: a\n    x: 1\n  -\n      id: b\n  - { id: c }\n", 64);
    expect(fast!.examplePositions).toEqual([{ line: 3, column: 5 }, { line: 6, column: 7 }, { line: 7, column: 5 }]);
  });
});
