import type { Document, Node } from "yaml";
import { lazily } from "../core/lazy-module.ts";
import { formatPath, type Problem } from "./problems.ts";

/** The located parser, loaded for files with problems only (clean files take the fast path). */
export const yamlPackage = lazily<typeof import("yaml")>("yaml");

/** A parsed YAML file that can say where any field path sits in the source. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly syntaxProblems: Problem[];
  locate(path: readonly PropertyKey[], unknownKey?: string): { line: number; column: number };
  problem(path: readonly PropertyKey[], message: string, unknownKey?: string): Problem;
  /** A problem at a node found by walking the document (no field path). */
  problemAt(node: Node, message: string): Problem;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const { LineCounter, parseDocument, isMap, isPair, isScalar } = yamlPackage();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  const syntaxProblems: Problem[] = [...doc.errors, ...doc.warnings.filter((w) => w.code !== "TAG_RESOLVE_FAILED")].map((e) => ({
    file,
    ...at(e.pos[0]),
    path: "",
    message: `YAML ${doc.errors.includes(e) ? "syntax error" : "warning"}: ${e.message.split("\n")[0]}`,
  }));

  function locate(path: readonly PropertyKey[], unknownKey?: string) {
    // Walk down as far as the path exists; a missing field is reported at its parent.
    let node: unknown = doc.contents;
    for (const key of path) {
      const next = childOf(node, key);
      if (next === undefined) break;
      node = next;
    }
    if (unknownKey !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === unknownKey);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return at(keyNode.range[0]);
    }
    const range = (node as Node | null)?.range;
    return range ? at(range[0]) : { line: 1, column: 1 };
  }

  return {
    file,
    doc,
    syntaxProblems,
    locate,
    problem(path, message, unknownKey) {
      return { file, ...locate(path, unknownKey), path: formatPath(unknownKey ? [...path, unknownKey] : path), message };
    },
    problemAt(node, message) {
      return { file, ...(node.range ? at(node.range[0]) : { line: 1, column: 1 }), path: "", message };
    },
  };
}

function childOf(node: unknown, key: PropertyKey): unknown {
  const { isSeq, isMap, isPair, isScalar } = yamlPackage();
  if (isSeq(node) && typeof key === "number") return node.items[key];
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
    return pair?.value ?? undefined;
  }
  return undefined;
}
