import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted model reply. */
export interface ScriptedReply {
  reply: string;
  /** Only for requests whose JSON body contains this text (parallel fan-out picks by content). */
  when?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: any;
}

/**
 * An OpenAI-compatible chat completions server on 127.0.0.1 that answers from a queue of scripted
 * replies. It stands in for the real endpoint in record-mode tests and when authoring recordings:
 * no model can be reached from here, and `--record` must see a real HTTP server either way.
 */
export class FakeOpenAI {
  readonly seen: SeenRequest[] = [];
  private queue: ScriptedReply[] = [];
  private server: Server | null = null;
  /** Set when a request found no scripted reply; the server answers 500 with the same text. */
  unmatched: string[] = [];
  /** Milliseconds to wait before each answer (a slow endpoint, to interrupt a record run mid-way). */
  delayMs = 0;

  load(replies: readonly ScriptedReply[]): void {
    this.queue = [...replies];
    this.unmatched = [];
  }

  remaining(): readonly ScriptedReply[] {
    return this.queue;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (raw += chunk));
      req.on("end", () => {
        let body: any = null;
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
        this.seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
        if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
          res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
          return;
        }
        const text = typeof raw === "string" ? raw : "";
        const index = this.queue.findIndex((r) => r.when === undefined || text.includes(r.when));
        if (index < 0) {
          const last = Array.isArray(body?.messages) ? body.messages.at(-1)?.content : undefined;
          const why = `no scripted reply left for this request; its last message: ${JSON.stringify(String(last ?? "").slice(0, 300))}`;
          this.unmatched.push(why);
          res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: why } }));
          return;
        }
        const [scripted] = this.queue.splice(index, 1);
        const answer = () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion(body, scripted!)));
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function completion(body: any, scripted: ScriptedReply) {
  // Without scripted usage, approximate tokens as characters / 4, so replayed usage is never zero.
  const promptChars = JSON.stringify(body?.messages ?? "").length;
  const usage = scripted.usage ?? { prompt_tokens: Math.max(1, Math.round(promptChars / 4)), completion_tokens: Math.max(1, Math.round(scripted.reply.length / 4)) };
  return {
    // Derived from the request so that authoring twice writes byte-identical recordings.
    id: `chatcmpl-scripted-${createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 12)}`,
    object: "chat.completion",
    created: 1_763_700_000,
    model: typeof body?.model === "string" ? body.model : "scripted",
    system_fingerprint: "fp_scripted",
    choices: [{ index: 0, message: { role: "assistant", content: scripted.reply, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
  };
}
