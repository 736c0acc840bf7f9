import { createHash } from "node:crypto";
import { graphLlm, type EvalConfig } from "../core/config.ts";
import { createRedactor, PII_KINDS, type PiiKind, type Redactor } from "../core/redact.ts";

export interface RunRedaction {
  /** The run's own files and console: keys and known secrets always, PII unless redact.local_pii is false. */
  readonly local: Redactor;
  /** What leaves the machine (annotations, step summary, uploads, OTLP): everything. */
  readonly outside: Redactor;
  /** Applied to a request body before it is keyed, and to what a recording stores. */
  readonly recording: (value: unknown) => unknown;
  /** The secret values known to this run, for exporters that build their own redactor. */
  readonly secrets: readonly string[];
  readonly patterns: readonly string[];
}

/**
 * Every key evalgate can know is in the environment under a name the config gives (each graph's
 * llm.apiKeyEnv, langsmith.apiKeyEnv); their values are secrets wherever they turn up, in any mode.
 */
export function knownSecrets(config: EvalConfig, env: NodeJS.ProcessEnv): string[] {
  const names = new Set([config.llm.apiKeyEnv, config.langsmith.apiKeyEnv, ...Object.keys(config.graphs).map((g) => graphLlm(config, g).apiKeyEnv), ...(config.judge ? [config.judge.apiKeyEnv] : [])]);
  return [...names].map((name) => env[name]).filter((v): v is string => typeof v === "string" && v.length >= 8);
}

export function runRedaction(config: EvalConfig, env: NodeJS.ProcessEnv): RunRedaction {
  const secrets = knownSecrets(config, env);
  const patterns = [...config.redact.patterns, ...config.langsmith.redact];
  const local = createRedactor({ secrets, patterns, pii: config.redact.local_pii });
  const outside = createRedactor({ secrets, patterns, pii: true });
  return { local, outside, recording: recordingFilter(config, secrets), secrets, patterns };
}

/**
 * Keys and known secrets are always filtered out of recordings (and out of the live request
 * before keying, so the filtered file still matches); redact.recordings adds PII kinds and
 * patterns with their own placeholders.
 */
function recordingFilter(config: EvalConfig, secrets: readonly string[]): (value: unknown) => unknown {
  const kinds = config.redact.recordings.filter((f): f is PiiKind => (PII_KINDS as readonly string[]).includes(f as string));
  const custom = config.redact.recordings.flatMap((f) => (typeof f === "object" ? [{ pattern: new RegExp(f.pattern, "g"), placeholder: f.placeholder }] : []));
  const base = createRedactor({
    secrets,
    pii: kinds,
    // Stable per value: the same address is the same placeholder in record and in replay.
    marker: (label, match) => `[filtered:${label}:${createHash("sha256").update(match).digest("hex").slice(0, 8)}]`,
  });
  const filterString = (text: string) => {
    let out = base.string(text);
    for (const f of custom) out = out.replace(f.pattern, f.placeholder);
    return out;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return filterString(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk;
}
