import { createHash, hash } from "node:crypto";
import type { ExampleResult } from "../core/report.ts";

/**
 * Identifiers that must be the same every time the same report (or the same example) is
 * exported, so re-uploads update instead of duplicating. Pure functions over node:crypto.
 */

/**
 * Namespace of every uuid v5 evalgate derives. Never change it: LangSmith example ids are
 * derived from it, and a new namespace would orphan every example already uploaded.
 */
export const EVALGATE_UUID_NAMESPACE = "a23dadec-1007-47de-b3d1-d638ad2df8cd";

/** `<graph>@v<version>/<id>`: how reports, trace URLs and ids name one example. */
export function exampleKey(example: Pick<ExampleResult, "graph" | "dataset_version" | "id">): string {
  return `${datasetName(example.graph, example.dataset_version)}/${example.id}`;
}

/** `<graph>@v<version>`: the LangSmith dataset (and OTLP resource) name of one dataset file. */
export function datasetName(graph: string, version: number): string {
  return `${graph}@v${version}`;
}

/** RFC 9562 uuid v5 (SHA-1, name-based). */
export function uuidv5(name: string, namespace: string = EVALGATE_UUID_NAMESPACE): string {
  const hash = createHash("sha1").update(uuidBytes(namespace)).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/**
 * A uuid v7 whose 48-bit timestamp is `epochMs` and whose remaining bits come from a hash of
 * `seed`: time-ordered like the ids LangSmith expects for runs, yet reproducible.
 */
export function deterministicUuidv7(epochMs: number, seed: string): string {
  const bytes = Buffer.alloc(16);
  const ms = BigInt(Math.max(0, Math.floor(epochMs)));
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  createHash("sha256").update(seed, "utf8").digest().copy(bytes, 6, 0, 10);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/** `byteLength` bytes of SHA-256(seed) as lowercase hex; never all zeros (invalid in OTLP). */
export function hexId(seed: string, byteLength: 8 | 16): string {
  // The one-shot hash (a Hash object per id cost four times as much, for every span of every example).
  const hex = hash("sha256", seed).slice(0, byteLength * 2);
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`Not a UUID: ${uuid}`);
  return Buffer.from(hex, "hex");
}

function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
