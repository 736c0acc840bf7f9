/**
 * A LangSmith API stand-in for tests: node:http on 127.0.0.1 only, state in memory, every
 * request recorded (decoded body text included) so tests can assert on exactly what left the
 * process. It implements what langsmith 0.12's Client calls for datasets, examples,
 * experiments, runs and feedback, with the response shapes the SDK needs (see
 * /work/shared/reference/langsmith-and-chatopenai-wire.md, "Minimal fake-server responses").
 *
 * Modes: "ok"; "500" (every request fails); "hang" (accepts connections, never answers);
 * "hang-after-info" (answers GET /info, then never answers); "refuse" (nothing listens on the port).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as zlib from "node:zlib";

export type FakeMode = "ok" | "500" | "hang" | "hang-after-info" | "refuse" | "rate-limited";

export interface FakeLangSmithOptions {
  mode?: FakeMode;
  /** Replaces the GET /info body (to test deployments without the multipart flag). */
  info?: Record<string, unknown>;
  /** "rate-limited" mode: the Retry-After header sent with every 429 after /info (default "30"). */
  retryAfter?: string;
  /** Forces a status for matching requests in "ok" mode: return a status, or undefined to serve normally. */
  intercept?: (method: string, path: string) => number | { status: number; headers: Record<string, string> } | undefined;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: IncomingHttpHeaders;
  /** The body as text, after content-encoding was undone. */
  body: string;
}

type Json = Record<string, unknown>;

export interface FakeLangSmith {
  readonly url: string;
  readonly mode: FakeMode;
  readonly tenantId: string;
  readonly requests: RecordedRequest[];
  readonly datasets: Map<string, Json>;
  readonly examples: Map<string, Json>;
  readonly sessions: Map<string, Json>;
  /** Runs by id, with post.* and patch.* parts (and /runs/batch entries) merged. */
  readonly runs: Map<string, Json>;
  readonly feedback: Map<string, Json>;
  close(): Promise<void>;
}

export const FAKE_SERVER_VERSION = "0.18.0";

export async function startFakeLangSmith(options: FakeLangSmithOptions = {}): Promise<FakeLangSmith> {
  const mode = options.mode ?? "ok";
  const state = {
    tenantId: randomUUID(),
    requests: [] as RecordedRequest[],
    datasets: new Map<string, Json>(),
    examples: new Map<string, Json>(),
    sessions: new Map<string, Json>(),
    runs: new Map<string, Json>(),
    feedback: new Map<string, Json>(),
  };

  if (mode === "refuse") {
    const port = await freePort();
    return { url: `http://127.0.0.1:${port}`, mode, ...state, close: async () => {} };
  }

  const server = createServer((req, res) => {
    void readBody(req).then(
      async (raw) => {
        const url = new URL(req.url ?? "/", "http://fake");
        const recorded: RecordedRequest = {
          method: req.method ?? "GET",
          path: url.pathname,
          query: queryOf(url),
          headers: req.headers,
          body: raw.toString("utf8"),
        };
        state.requests.push(recorded);
        if (mode === "hang" || (mode === "hang-after-info" && url.pathname !== "/info")) return; // never answer
        if (mode === "500") return send(res, 500, { detail: "fake internal error" });
        if (mode === "rate-limited" && url.pathname !== "/info") {
          return send(res, 429, { detail: "fake rate limit" }, { "retry-after": options.retryAfter ?? "30" });
        }
        const forced = options.intercept?.(recorded.method, recorded.path);
        if (forced !== undefined) {
          const { status, headers } = typeof forced === "number" ? { status: forced, headers: {} } : forced;
          return send(res, status, { detail: `forced ${status}` }, headers);
        }
        try {
          const [status, body] = await route(recorded, raw, req.headers, state, options.info);
          send(res, status, body);
        } catch (error) {
          send(res, 400, { detail: `fake server could not handle ${recorded.method} ${recorded.path}: ${(error as Error).message}` });
        }
      },
      () => send(res, 400, { detail: "unreadable body" }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    mode,
    ...state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type State = Omit<FakeLangSmith, "url" | "mode" | "close">;
type Reply = [number, unknown];

async function route(req: RecordedRequest, raw: Buffer, headers: IncomingHttpHeaders, s: State, infoOverride?: Record<string, unknown>): Promise<Reply> {
  const { method, path } = req;
  const now = new Date().toISOString();
  const one = (name: string) => req.query[name]?.[0];
  let m: RegExpMatchArray | null;

  if (method === "GET" && path === "/info") {
    return [200, infoOverride ?? { version: FAKE_SERVER_VERSION, instance_flags: { dataset_examples_multipart_enabled: true }, batch_ingest_config: { use_multipart_endpoint: true } }];
  }

  // Datasets
  if (method === "GET" && path === "/datasets") {
    const name = one("name");
    const all = [...s.datasets.values()].filter((d) => name === undefined || d.name === name);
    return [200, all.slice(0, Number(one("limit") ?? 100))];
  }
  if (method === "POST" && path === "/datasets") {
    const body = JSON.parse(req.body) as Json;
    if ([...s.datasets.values()].some((d) => d.name === body.name)) return [409, { detail: "Dataset already exists" }];
    const dataset = { ...body, id: randomUUID(), tenant_id: s.tenantId, data_type: body.data_type ?? "kv", created_at: now, modified_at: now };
    s.datasets.set(dataset.id, dataset);
    return [200, dataset];
  }
  if (method === "GET" && (m = path.match(/^\/datasets\/([^/]+)$/))) {
    const dataset = s.datasets.get(m[1]!);
    return dataset ? [200, dataset] : [404, { detail: "Dataset not found" }];
  }

  // Examples (multipart create/update, reads)
  if ((method === "POST" || method === "PATCH") && (m = path.match(/^\/v1\/platform\/datasets\/([^/]+)\/examples$/))) {
    const datasetId = m[1]!;
    if (!s.datasets.has(datasetId)) return [404, { detail: "Dataset not found" }];
    const parts = await multipartParts(raw, headers);
    const ids = [...new Set([...parts.keys()].map((name) => name.split(".")[0]!))];
    for (const id of ids) {
      const main = parseJson(parts.get(id)) ?? {};
      const inputs = parseJson(parts.get(`${id}.inputs`));
      const outputs = parseJson(parts.get(`${id}.outputs`));
      const existing = s.examples.get(id);
      if (method === "POST") {
        if (existing) return [409, { detail: `Example ${id} already exists` }];
        s.examples.set(id, { id, dataset_id: datasetId, inputs: inputs ?? {}, outputs: outputs ?? null, metadata: main.metadata ?? null, created_at: main.created_at ?? now, modified_at: now });
      } else {
        if (!existing) return [404, { detail: `Example ${id} not found` }];
        s.examples.set(id, {
          ...existing,
          ...(inputs !== undefined && { inputs }),
          ...(outputs !== undefined && { outputs }),
          ...(main.metadata !== undefined && { metadata: main.metadata }),
          modified_at: now,
        });
      }
    }
    return [200, { example_ids: ids, count: ids.length }];
  }
  if (method === "GET" && (m = path.match(/^\/examples\/([^/]+)$/))) {
    const example = s.examples.get(m[1]!);
    return example ? [200, example] : [404, { detail: "Example not found" }];
  }
  if (method === "GET" && path === "/examples") {
    const dataset = one("dataset");
    const ids = req.query.id;
    const all = [...s.examples.values()].filter((e) => (dataset === undefined || e.dataset_id === dataset) && (ids === undefined || ids.includes(e.id as string)));
    const offset = Number(one("offset") ?? 0);
    return [200, all.slice(offset, offset + Number(one("limit") ?? 100))];
  }

  // Experiments (sessions)
  if (method === "POST" && path === "/sessions") {
    const body = JSON.parse(req.body) as Json;
    if ([...s.sessions.values()].some((x) => x.name === body.name)) return [409, { detail: "Session already exists" }];
    const session = { ...body, id: randomUUID(), tenant_id: s.tenantId, start_time: now, end_time: null };
    s.sessions.set(session.id, session);
    return [200, session];
  }
  if (method === "GET" && path === "/sessions") {
    const name = one("name");
    return [200, [...s.sessions.values()].filter((x) => name === undefined || x.name === name).slice(0, Number(one("limit") ?? 100))];
  }
  if ((m = path.match(/^\/sessions\/([^/]+)$/)) && (method === "GET" || method === "PATCH")) {
    const session = s.sessions.get(m[1]!);
    if (!session) return [404, { detail: "Session not found" }];
    if (method === "PATCH") {
      // Like the server: a null field means "leave as is".
      for (const [key, value] of Object.entries(JSON.parse(req.body) as Json)) if (value !== null) session[key] = value;
    }
    return [200, session];
  }

  // Runs and feedback
  if (method === "POST" && path === "/runs/multipart") {
    const parts = await multipartParts(raw, headers);
    for (const [name, text] of parts) {
      const [kind, id, field] = name.split(".") as [string, string, string | undefined];
      if (kind === "feedback") {
        s.feedback.set(id, JSON.parse(text) as Json);
      } else if (kind === "post" || kind === "patch") {
        const run = s.runs.get(id) ?? {};
        if (field === undefined) Object.assign(run, JSON.parse(text));
        else run[field] = JSON.parse(text);
        s.runs.set(id, run);
      }
    }
    return [202, ""];
  }
  if (method === "POST" && path === "/runs/batch") {
    const body = JSON.parse(req.body) as { post?: Json[]; patch?: Json[] };
    for (const run of [...(body.post ?? []), ...(body.patch ?? [])]) s.runs.set(run.id as string, { ...s.runs.get(run.id as string), ...run });
    return [202, ""];
  }
  if (method === "POST" && path === "/runs") {
    const run = JSON.parse(req.body) as Json;
    s.runs.set(run.id as string, run);
    return [202, ""];
  }
  if (method === "PATCH" && (m = path.match(/^\/runs\/([^/]+)$/))) {
    s.runs.set(m[1]!, { ...s.runs.get(m[1]!), ...(JSON.parse(req.body) as Json) });
    return [202, ""];
  }
  if (method === "POST" && path === "/feedback") {
    const feedback = JSON.parse(req.body) as Json;
    s.feedback.set(feedback.id as string, feedback);
    return [200, feedback];
  }
  return [404, { detail: `fake LangSmith has no route for ${method} ${path}` }];
}

/** Multipart form parts by name, as text (undici's parser, as the real SDK's bodies come from undici). */
async function multipartParts(raw: Buffer, headers: IncomingHttpHeaders): Promise<Map<string, string>> {
  const form = await new Request("http://fake/", { method: "POST", headers: { "content-type": headers["content-type"] ?? "" }, body: new Uint8Array(raw) }).formData();
  const entries: Array<[string, FormDataEntryValue]> = [];
  form.forEach((value, name) => entries.push([name, value]));
  const parts = new Map<string, string>();
  for (const [name, value] of entries) parts.set(name, typeof value === "string" ? value : await value.text());
  return parts;
}

function parseJson(text: string | undefined): Json | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as Json);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = req.headers["content-encoding"];
  if (encoding === "gzip") return zlib.gunzipSync(raw);
  if (encoding === "zstd") {
    const decompress = (zlib as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
    if (!decompress) throw new Error("zstd body on a Node without zstd");
    return decompress(raw);
  }
  return raw;
}

function queryOf(url: URL): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (out[key] ??= []).push(value);
  return out;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(text);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
