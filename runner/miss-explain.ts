import type { RecordedExchange } from "../core/recording.ts";
import { canonicalJson } from "./canonical-json.ts";
import { keyedBody, type CanonicalRequest } from "./request-key.ts";

/**
 * Says what differs between a request that has no recording and the nearest recorded one, in
 * terms a prompt author recognises: which message changed and at which line, which tool schema
 * gained or lost a field, which sampling parameter moved.
 */
export function explainDifferences(now: CanonicalRequest, recorded: RecordedExchange["request"]): string[] {
  const diffs: string[] = [];
  if (now.method.toUpperCase() !== recorded.method.toUpperCase()) diffs.push(`method: recorded ${recorded.method}, now ${now.method}`);
  if (now.path !== recorded.path) diffs.push(`path: recorded ${recorded.path}, now ${now.path}`);
  const a = asObject(keyedBody(recorded.body));
  const b = asObject(keyedBody(now.body));
  for (const field of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (canonicalJson(a[field]) === canonicalJson(b[field])) continue;
    if (field === "messages") diffs.push(...diffMessages(asArray(a[field]), asArray(b[field])));
    else if (field === "tools") diffs.push(...diffTools(asArray(a[field]), asArray(b[field])));
    else if (!(field in a)) diffs.push(`${field}: added (${short(b[field])})`);
    else if (!(field in b)) diffs.push(`${field}: removed (was ${short(a[field])})`);
    else diffs.push(`${field}: recorded ${short(a[field])}, now ${short(b[field])}`);
  }
  return diffs;
}

/** The recorded exchange that differs least from `now` (ties go to the same call position). */
export function nearestExchange(now: CanonicalRequest, exchanges: readonly RecordedExchange[], callIndex: number): { exchange: RecordedExchange; position: number; diffs: string[] } | null {
  let best: { exchange: RecordedExchange; position: number; diffs: string[]; weight: number } | null = null;
  exchanges.forEach((exchange, position) => {
    const diffs = explainDifferences(now, exchange.request);
    const weight = diffs.length * 2 + (position === callIndex ? 0 : 1);
    if (!best || weight < best.weight) best = { exchange, position, diffs, weight };
  });
  return best;
}

function diffMessages(recorded: unknown[], now: unknown[]): string[] {
  const out: string[] = [];
  const n = Math.max(recorded.length, now.length);
  for (let i = 0; i < n; i++) {
    const r = asObject(recorded[i]);
    const c = asObject(now[i]);
    if (canonicalJson(r) === canonicalJson(c)) continue;
    const role = String(c.role ?? r.role ?? "?");
    if (i >= recorded.length) out.push(`messages[${i}] (${role}): added: ${short(textOf(c))}`);
    else if (i >= now.length) out.push(`messages[${i}] (${role}): removed (was ${short(textOf(r))})`);
    else if (r.role !== c.role) out.push(`messages[${i}]: role recorded ${String(r.role)}, now ${String(c.role)}`);
    else out.push(`messages[${i}] (${role}) ${describeTextChange(textOf(r), textOf(c))}`);
    if (out.length >= 3) {
      const laterDiffer = Array.from({ length: n - i - 1 }, (_, k) => i + 1 + k).some((j) => canonicalJson(recorded[j]) !== canonicalJson(now[j]));
      if (laterDiffer) out.push("(later messages differ too; they follow from the first change)");
      break;
    }
  }
  return out;
}

function describeTextChange(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line++;
  const was = a[line];
  const is = b[line];
  if (was === undefined) return `gained text at line ${line + 1}: ${short(is ?? "")}`;
  if (is === undefined) return `lost text at line ${line + 1}: ${short(was)}`;
  return `changed at line ${line + 1}:\n      recorded: ${short(was)}\n      now:      ${short(is)}`;
}

function diffTools(recorded: unknown[], now: unknown[]): string[] {
  const byName = (tools: unknown[]) => new Map(tools.map((t) => {
    const obj = asObject(t);
    const fn = asObject(obj.function);
    return [String(fn.name ?? obj.name ?? "?"), obj] as const;
  }));
  const a = byName(recorded);
  const b = byName(now);
  const out: string[] = [];
  for (const [name, tool] of b) {
    const old = a.get(name);
    if (!old) out.push(`tools: gained tool "${name}"`);
    else if (canonicalJson(old) !== canonicalJson(tool)) {
      const pa = Object.keys(asObject(asObject(asObject(asObject(old).function).parameters).properties));
      const pb = Object.keys(asObject(asObject(asObject(asObject(tool).function).parameters).properties));
      const gained = pb.filter((p) => !pa.includes(p));
      const lost = pa.filter((p) => !pb.includes(p));
      const parts = [gained.length ? `gained field ${gained.join(", ")}` : "", lost.length ? `lost field ${lost.join(", ")}` : ""].filter(Boolean);
      out.push(`tools: "${name}" schema ${parts.length ? parts.join("; ") : "changed"}`);
    }
  }
  for (const name of a.keys()) if (!b.has(name)) out.push(`tools: lost tool "${name}"`);
  return out;
}

function textOf(message: Record<string, unknown>): string {
  const content = message.content;
  if (typeof content === "string") return content;
  return canonicalJson(content ?? message);
}

function short(value: unknown, max = 120): string {
  // Strings are quoted, anything else shown as JSON: a number turned string stays visible (0 vs "0").
  const text = typeof value === "string" ? JSON.stringify(value) : canonicalJson(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
