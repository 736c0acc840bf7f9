import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A deterministic OpenAI-compatible chat endpoint on 127.0.0.1 for recording the scale benchmark:
 * the answer follows from the request (the order number in it, which step is asking), so the same
 * request always gets the same answer and every example's answer names its own order.
 */
export async function startScaleModelServer(): Promise<{ url: string; close(): Promise<void> }> {
  let served = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const request = JSON.parse(body || "{}") as { model?: string; messages?: { role: string; content: string }[] };
      const messages = request.messages ?? [];
      const system = messages.find((m) => m.role === "system")?.content ?? "";
      const text = messages.map((m) => m.content).join("\n");
      const order = /#(\d+)/.exec(text)?.[1] ?? "unknown";
      const content = system.startsWith("PLAN")
        ? `Check order #${order} delivery date against the returns policy.`
        : system.startsWith("DRAFT")
          ? `Order #${order} was delivered recently and is unused, so it is inside the 30-day refund window.`
          : `Thank you for reaching out about order #${order}. It is still inside our refund window: returns are accepted for 30 days from delivery when the item is unused and in its original packaging, which yours is. Start the return from your orders page and the refund reaches your original payment method within 5-7 business days of our receiving it. Reply here if anything is unclear.`;
      served++;
      const prompt = Math.ceil(text.length / 4);
      const completion = Math.ceil(content.length / 4);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({
        id: `chatcmpl-scale-${served}`,
        object: "chat.completion",
        created: 1_767_225_600,
        model: request.model ?? "gpt-4o-mini",
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
      }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
