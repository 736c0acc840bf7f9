import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible server on 127.0.0.1 whose answers pass with a set probability per example:
 * a question tagged `[name]` gets the right answer ("…inside the refund window…") with
 * probability `rates[name]`. Seeded and stratified: the k requests of one example pass in a
 * seeded order, exactly round(rate × k) of every k, so a test can assert counts, not luck.
 * Requests for the judge model are graded: score 1 when the answer mentions the refund window.
 * /embeddings answers a small deterministic vector per input, with token usage.
 */
export class TrialOpenAI {
  rates: Record<string, number> = {};
  /** How many trials one example gets in this run (the stratum size). */
  trialsPerExample = 10;
  seed = 7;
  /** Answer the first this many requests with 429 and a Retry-After, to exercise the retry. */
  rateLimitFirst = 0;
  judgeModel = "gpt-4o";
  readonly seen: { model: string; body: any }[] = [];
  private served = new Map<string, number>();
  private server: Server | null = null;
  private requests = 0;

  /** Starts a new stratum for every example (call between runs). */
  reset(): void {
    this.served.clear();
    this.seen.length = 0;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (raw += chunk));
      req.on("end", () => {
        const body = JSON.parse(raw || "{}");
        this.seen.push({ model: body.model, body });
        if (this.requests++ < this.rateLimitFirst) {
          res.writeHead(429, { "content-type": "application/json", "retry-after": "0" }).end(JSON.stringify({ error: { message: "slow down" } }));
          return;
        }
        if (req.url?.endsWith("/embeddings")) {
          const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
          const vector = (text: string) => Array.from({ length: 8 }, (_, i) => ((String(text).charCodeAt(i % Math.max(1, String(text).length)) || 0) % 89) / 89);
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
            object: "list",
            model: body.model,
            data: inputs.map((text, index) => ({ object: "embedding", index, embedding: vector(text) })),
            usage: { prompt_tokens: 7 * inputs.length, total_tokens: 7 * inputs.length },
          }));
          return;
        }
        const text: string = (body.messages ?? []).map((m: { content: unknown }) => String(m.content)).join("\n");
        const content = body.model === this.judgeModel ? this.grade(text) : this.answer(text);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
          id: `chatcmpl-trial-${this.requests}`,
          object: "chat.completion",
          created: 1_767_225_600,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
          usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 },
        }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private answer(text: string): string {
    const name = /\[([a-z]+)\]/.exec(text)?.[1] ?? "unknown";
    const n = this.served.get(name) ?? 0;
    this.served.set(name, n + 1);
    const k = this.trialsPerExample;
    const order = seededOrder(k, `${this.seed}:${name}`);
    const passes = Math.round((this.rates[name] ?? 1) * k);
    return order[n % k]! < passes ? `Yes: your order is inside the refund window (request ${n + 1}).` : `Sorry, I cannot say (request ${n + 1}).`;
  }

  private grade(text: string): string {
    const answer = /ANSWER:\n([\s\S]*?)(\n\n[A-Z ]+:\n|$)/.exec(text)?.[1] ?? "";
    return answer.includes("refund window")
      ? JSON.stringify({ score: 1, reason: "says the order is inside the refund window" })
      : JSON.stringify({ score: 0, reason: "does not say whether the order is inside the refund window" });
  }
}

/** A permutation of 0..k-1 from a string seed (mulberry32 over an FNV-1a hash; Fisher–Yates). */
function seededOrder(k: number, seed: string): number[] {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let state = h >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: k }, (_, i) => i);
  for (let i = k - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
