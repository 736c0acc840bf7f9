import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { ScriptedReply } from "../../core/replies.ts";
import { completionBody, pickReply } from "../../runner/scripted-replies.ts";

export type { ScriptedReply };

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
        const scripted = pickReply(this.queue, raw);
        if (!scripted) {
          const last = Array.isArray(body?.messages) ? body.messages.at(-1)?.content : undefined;
          const why = `no scripted reply left for this request; its last message: ${JSON.stringify(String(last ?? "").slice(0, 300))}`;
          this.unmatched.push(why);
          res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: why } }));
          return;
        }
        const answer = () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completionBody(body, scripted)));
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
