import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ScriptedReply } from "../core/replies.ts";
import { canonicalJson } from "./canonical-json.ts";
import { completionBody, pickReply } from "./scripted-replies.ts";

interface Script {
  queue: ScriptedReply[];
  /** Where the replies come from, and whether the example has an entry there at all. */
  file: string | null;
  scripted: boolean;
  /** Requests that found no reply left (answered 500 with the same text). */
  unmatched: string[];
}

/**
 * `--record --replies`: an OpenAI-compatible chat completions server on 127.0.0.1 that answers
 * each example from its own scripted replies. An example is told a base URL of its own
 * (`/e/<n>/v1`), so concurrent examples never take each other's replies, while the path that is
 * recorded and keyed stays `/chat/completions`.
 */
/** What a completion says, without the ids derived from the request. */
function messageOf(body: unknown): string {
  const message = (body as { choices?: Array<{ message?: { content?: unknown; tool_calls?: Array<{ function?: unknown }> } }> } | null)?.choices?.[0]?.message;
  // Canonical: recordings are written with sorted keys, fresh completions are not.
  return canonicalJson({ content: message?.content ?? null, tools: message?.tool_calls?.map((c) => c.function) ?? null });
}

export class ScriptedEndpoint {
  private readonly scripts = new Map<string, Script>();
  private readonly ids = new Map<string, string>();
  private readonly server: Server;
  private readonly origin: string;
  private constructor(server: Server, origin: string) {
    this.server = server;
    this.origin = origin;
  }

  static async start(): Promise<ScriptedEndpoint> {
    let endpoint: ScriptedEndpoint | undefined;
    const server = createServer((req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (raw += chunk));
      req.on("end", () => {
        const [status, body] = endpoint!.answer(req.method ?? "", req.url ?? "", raw);
        // Its refusals are final: a client that retried them (LangChain retries a 500 six times, with
        // backoff) would only wait for the example's timeout and hide the reason.
        res.writeHead(status, { "content-type": "application/json", ...(status >= 400 ? { "x-should-retry": "false" } : {}) }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = new ScriptedEndpoint(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return endpoint;
  }

  /** Registers an example's replies (consumed in order) and returns the base URL its client must use. */
  baseURLFor(ref: string, replies: readonly ScriptedReply[] | undefined, file: string | null = null): string {
    const id = String(this.ids.size + 1);
    this.ids.set(id, ref);
    this.scripts.set(ref, { queue: [...(replies ?? [])], unmatched: [], file, scripted: replies !== undefined });
    return `${this.origin}/e/${id}/v1`;
  }

  /** A call answered from the recording (`--stale`) still uses up the reply scripted for it. */
  consume(ref: string, bodyText: string): void {
    const script = this.scripts.get(ref);
    if (script) pickReply(script.queue, bodyText);
  }

  /**
   * Whether the reply the script holds for this request now is the one `exchange` recorded (text,
   * or tool names and arguments). `--stale` must not keep a recording whose script was edited.
   */
  stillScripted(ref: string, body: unknown, recordedBody: unknown): boolean {
    const script = this.scripts.get(ref);
    if (!script) return true;
    const text = JSON.stringify(body);
    const reply = script.queue.find((r) => r.when === undefined || text.includes(r.when));
    if (!reply) return false;
    return messageOf(completionBody(body, reply)) === messageOf(recordedBody);
  }

  /** What did not line up, for the author: replies never asked for, requests with no reply left. */
  problems(ref: string): string[] {
    const script = this.scripts.get(ref);
    if (!script) return [];
    return [...script.unmatched, ...(script.queue.length ? [`${script.queue.length} scripted repl${script.queue.length === 1 ? "y was" : "ies were"} never requested`] : [])];
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(method: string, url: string, raw: string): [number, unknown] {
    const match = /^\/e\/(\d+)\/v1\/chat\/completions$/.exec(url.split("?")[0]!);
    const ref = match ? this.ids.get(match[1]!) : undefined;
    const script = ref ? this.scripts.get(ref) : undefined;
    if (method !== "POST" || !script) return [404, { error: { message: `the scripted endpoint serves only POST /chat/completions (got ${method} ${url})` } }];
    let body: any = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const reply = pickReply(script.queue, raw);
    if (!reply) {
      const last = Array.isArray(body?.messages) ? body.messages.at(-1)?.content : undefined;
      const example = ref!.slice(ref!.lastIndexOf("/") + 1);
      const why = script.scripted
        ? `no scripted reply left for ${ref}; its last message: ${JSON.stringify(String(last ?? "").slice(0, 300))}; add a reply for this call under examples.${example} in ${script.file ?? "the dataset's authoring/vN.replies.yaml"}`
        : `${ref} has no scripted replies: add "${example}:" with a reply per LLM call under examples: in ${script.file ?? "the dataset's authoring/vN.replies.yaml"}`;
      script.unmatched.push(why);
      return [400, { error: { message: why } }];
    }
    return [200, completionBody(body, reply)];
  }
}
