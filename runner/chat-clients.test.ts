import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { sharedChatModel } from "./chat-clients.ts";
import { Tracer } from "./tracer.ts";

const options = { model: "gpt-4o-mini", temperature: 0, apiKey: "test-placeholder", baseURL: "http://127.0.0.1:9/v1", timeoutMs: undefined };

/** A tracer whose network scope answers every LLM call with `answer`, as an example's transport would. */
function exampleAnswering(answer: string): Tracer {
  const tracer = new Tracer();
  tracer.network = {
    mode: "replay",
    allowHosts: [],
    refuse: () => undefined,
    llmFetch: (async () => {
      // A turn of the event loop, so concurrent examples really interleave inside the shared client.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new Response(JSON.stringify({ id: "c", object: "chat.completion", created: 0, model: "gpt-4o-mini", choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }), { headers: { "content-type": "application/json" } });
    }) as typeof fetch,
  };
  return tracer;
}

describe("one ChatOpenAI per model for the thread", () => {
  it("gives the same client for the same model, temperature and endpoint, and another for a different one", () => {
    expect(sharedChatModel(options)).toBe(sharedChatModel({ ...options }));
    expect(sharedChatModel({ ...options, temperature: 0.7 })).not.toBe(sharedChatModel(options));
    expect(sharedChatModel({ ...options, model: "gpt-4o" })).not.toBe(sharedChatModel(options));
  });

  it("answers each concurrent example from its own transport", async () => {
    const llm = sharedChatModel(options);
    const answers = await Promise.all(["first", "second", "third"].map((answer) =>
      exampleAnswering(answer).span("agent_run:test", "agent", {}, async () => String((await llm.invoke([new HumanMessage("which?")])).content)),
    ));
    expect(answers).toEqual(["first", "second", "third"]);
  });

  it("refuses a call made outside any example instead of sending it anywhere", async () => {
    // The OpenAI SDK reports it as a connection error whose cause is ours.
    const error = await sharedChatModel(options).invoke([new HumanMessage("late")]).then(() => null, (e: unknown) => e as Error & { cause?: Error });
    expect(error?.cause?.message).toMatch(/ctx\.llm was called outside the example that owns it/);
  });
});
