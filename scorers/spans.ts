import type { SpanExpectation } from "../core/dataset.ts";
import type { Span } from "../core/trace.ts";
import { quoteList } from "./excerpt.ts";
import type { Scorer } from "./types.ts";

const NAME = "spans";

/** A rule of the contract in one shape, whatever form the dataset wrote it in. */
interface Rule {
  /** As written, for reasons. */
  text: string;
  /** Names from the outermost down, each the direct child of the one before (one name: it exists). */
  path?: string[];
  name?: string;
  under?: string;
  count?: { n: number; atLeast: boolean };
  status?: "ok" | "error";
  attributes?: Record<string, unknown>;
}

const COUNT = /^(.+?)\s*[×x*]\s*(\d+)(\+?)$/;
const STATUS = /^(.+): (ok|error)$/;

export function parseSpanRule(rule: SpanExpectation): Rule {
  if (typeof rule === "string") {
    const count = COUNT.exec(rule);
    if (count) return { text: rule, name: count[1]!.trim(), count: { n: Number(count[2]), atLeast: count[3] === "+" } };
    const status = STATUS.exec(rule);
    if (status) return { text: rule, name: status[1]!.trim(), status: status[2] as "ok" | "error" };
    return { text: rule, path: rule.split(/\s+>\s+/).map((n) => n.trim()) };
  }
  if ("status" in rule || "name" in rule || "attributes" in rule || "under" in rule || "count" in rule) {
    const r = rule as Exclude<SpanExpectation, string | Record<string, "ok" | "error">> & { name?: string };
    const count = r.count === undefined ? undefined : typeof r.count === "number" ? { n: r.count, atLeast: false } : { n: Number.parseInt(r.count, 10), atLeast: true };
    return { text: JSON.stringify(rule), ...(r.name ? { name: r.name } : {}), ...(r.under ? { under: r.under } : {}), ...(count ? { count } : {}), ...(r.status ? { status: r.status } : {}), ...(r.attributes ? { attributes: r.attributes } : {}) };
  }
  const [name, status] = Object.entries(rule as Record<string, "ok" | "error">)[0]!;
  return { text: `${name}: ${status}`, name, status };
}

/** Why the rule does not hold on these spans, or null when it does. */
export function checkSpanRule(rule: Rule, spans: readonly Span[]): string | null {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const parentName = (s: Span) => (s.parent_id === null ? undefined : byId.get(s.parent_id)?.name);
  if (rule.path) {
    const [first, ...rest] = rule.path;
    let frontier = spans.filter((s) => s.name === first);
    if (frontier.length === 0) return `no span ${JSON.stringify(first)}`;
    for (const [i, name] of rest.entries()) {
      const ids = new Set(frontier.map((s) => s.id));
      const next = spans.filter((s) => s.name === name && s.parent_id !== null && ids.has(s.parent_id));
      if (next.length === 0) {
        const elsewhere = spans.filter((s) => s.name === name).map((s) => parentName(s) ?? "(root)");
        return `no ${JSON.stringify(name)} directly under ${JSON.stringify(rule.path[i])}${elsewhere.length ? ` (${JSON.stringify(name)} is under ${quoteList([...new Set(elsewhere)])})` : ` (there is no ${JSON.stringify(name)} span)`}`;
      }
      frontier = next;
    }
    return null;
  }
  let candidates = rule.name === undefined ? [...spans] : spans.filter((s) => s.name === rule.name);
  if (rule.under !== undefined) candidates = candidates.filter((s) => parentName(s) === rule.under);
  const what = `${rule.name === undefined ? "span" : JSON.stringify(rule.name)}${rule.under === undefined ? "" : ` under ${JSON.stringify(rule.under)}`}`;
  if (rule.count) {
    const { n, atLeast } = rule.count;
    const ok = atLeast ? candidates.length >= n : candidates.length === n;
    if (!ok) return `${what} × ${candidates.length}, expected ${atLeast ? `at least ${n}` : `exactly ${n}`}`;
    if (rule.status === undefined && rule.attributes === undefined) return null;
  }
  if (candidates.length === 0) return `no ${what}`;
  if (rule.status === "error" && !candidates.some((s) => s.status === "error")) return `${what} ended ok, expected an error`;
  if (rule.status === "ok") {
    const failed = candidates.find((s) => s.status === "error");
    if (failed) return `${what} ended in error${failed.error ? ` (${failed.error})` : ""}, expected ok`;
  }
  if (rule.attributes) {
    const wanted = Object.entries(rule.attributes);
    const matches = (s: Span) => wanted.every(([key, value]) => sameValue(s.attributes[key], value));
    if (!candidates.some(matches)) {
      const seen = candidates.slice(0, 3).map((s) => `{${wanted.map(([key]) => `${key}: ${s.attributes[key] === undefined ? "(not set)" : JSON.stringify(s.attributes[key])}`).join(", ")}}`);
      return `no ${what} has ${wanted.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")} (it has ${seen.join("; ")})`;
    }
  }
  return null;
}

function sameValue(actual: unknown, expected: unknown): boolean {
  if (JSON.stringify(actual) === JSON.stringify(expected)) return true;
  // YAML reads `id: 42` as a number and agents often store ids as text, or the other way round.
  return (typeof actual === "number" || typeof actual === "string") && (typeof expected === "number" || typeof expected === "string") && String(actual) === String(expected);
}

/** The span tree as indented names (with status and repeats folded), for a reason a reviewer can read. */
export function renderSpanTree(spans: readonly Span[], maxLines = 40): string {
  const children = new Map<string | null, Span[]>();
  const ids = new Set(spans.map((s) => s.id));
  for (const s of spans) {
    const parent = s.parent_id !== null && ids.has(s.parent_id) ? s.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    const kids = children.get(parent) ?? [];
    for (let i = 0; i < kids.length; i++) {
      const s = kids[i]!;
      let repeat = 1;
      // Siblings with the same name and no children fold into one line: `worker:enrich_one × 3`.
      while (!children.has(s.id) && kids[i + repeat]?.name === s.name && !children.has(kids[i + repeat]!.id) && kids[i + repeat]!.status === s.status) repeat++;
      if (lines.length < maxLines) lines.push(`${"  ".repeat(depth)}${s.name}${repeat > 1 ? ` × ${repeat}` : ""}${s.status === "error" ? " (error)" : ""}`);
      walk(s.id, depth + 1);
      i += repeat - 1;
    }
  };
  walk(null, 0);
  if (lines.length >= maxLines) lines.push(`… (${spans.length} spans in all)`);
  return lines.join("\n");
}

/** Span contract: names, tree shape, counts, status and attributes the run's trace must have. */
export const spans: Scorer = ({ spans: emitted, example }) => {
  const expected = example.expect.spans ?? [];
  if (expected.length === 0) return null;
  const rules = expected.map(parseSpanRule);
  const failures = rules.flatMap((rule) => {
    const why = checkSpanRule(rule, emitted);
    return why === null ? [] : [{ rule: rule.text, why }];
  });
  const onlyMissingNames = failures.every((f) => /^no span "/.test(f.why));
  const names = [...new Set(emitted.map((s) => s.name))];
  const tree = renderSpanTree(emitted);
  return {
    name: NAME,
    pass: failures.length === 0,
    score: (rules.length - failures.length) / rules.length,
    reason: failures.length === 0
      ? `all ${rules.length} span rule(s) hold`
      : onlyMissingNames
        ? `Missing spans: ${quoteList(failures.map((f) => f.rule))}; emitted: ${names.length === 0 ? "(none)" : quoteList(names)}`
        : `${failures.map((f) => `${f.rule}: ${f.why}`).join("; ")}. Actual tree:\n${tree || "(no spans)"}`,
    details: { failed: failures, emitted: names, tree },
  };
};
