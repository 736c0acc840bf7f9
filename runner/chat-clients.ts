import type { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { requireEsm } from "../core/lazy-module.ts";
import { Tracer } from "./tracer.ts";

export interface ChatClientOptions {
  model: string;
  temperature: number;
  apiKey: string;
  baseURL: string;
  timeoutMs: number | undefined;
}

/**
 * One ChatOpenAI per model, temperature and endpoint for the whole thread, instead of one per
 * example: building the client (the OpenAI SDK and its resource tree) cost about as much as
 * replaying the call it made. The client is stateless between calls; what belongs to an example
 * is its transport, which the client's fetch finds through the running example's tracer, the same
 * way the network guard serves clients the agent built itself.
 */
const clients = new Map<string, ChatOpenAI>();

export function sharedChatModel(opts: ChatClientOptions): ChatOpenAI {
  const key = `${opts.model}\u0000${opts.temperature}\u0000${opts.apiKey}\u0000${opts.baseURL}\u0000${opts.timeoutMs ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    client = new (chatOpenAIClass())({
      model: opts.model,
      temperature: opts.temperature,
      apiKey: opts.apiKey,
      // LangChain's default is 6 retries with backoff (80 s on a 500); a gate wants the first answer.
      maxRetries: 0,
      timeout: opts.timeoutMs,
      configuration: { baseURL: opts.baseURL, fetch: exampleFetch },
    });
    clients.set(key, client);
  }
  return client;
}

const embedders = new Map<string, OpenAIEmbeddings>();

/** The same for embeddings: one client per model and endpoint, each call served by its example's transport. */
export function sharedEmbeddings(opts: Omit<ChatClientOptions, "temperature">): OpenAIEmbeddings {
  const key = JSON.stringify([opts.model, opts.apiKey, opts.baseURL, opts.timeoutMs ?? null]);
  let client = embedders.get(key);
  if (!client) {
    const { OpenAIEmbeddings } = requireEsm<typeof import("@langchain/openai")>("@langchain/openai");
    client = new OpenAIEmbeddings({ model: opts.model, apiKey: opts.apiKey, maxRetries: 0, ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}), configuration: { baseURL: opts.baseURL, fetch: exampleFetch } });
    embedders.set(key, client);
  }
  return client;
}

/** The running example's LLM transport; a call from outside any example has nowhere to go. */
const exampleFetch: typeof fetch = (input, init) => {
  const scope = Tracer.active()?.network;
  if (!scope) {
    return Promise.reject(new Error("evalgate: ctx.llm was called outside the example that owns it (after the agent returned, or from a timer it left behind); await every LLM call inside run()"));
  }
  return scope.llmFetch(input, init);
};

let loadedClass: typeof ChatOpenAI | null = null;

/**
 * @langchain/openai and the OpenAI SDK (~300 modules, a fifth of a second) load the first time an
 * agent asks for a model, not at start-up: an agent that is a plain function never pays for them.
 * Loaded synchronously, so `ctx.llm` stays a plain property.
 */
function chatOpenAIClass(): typeof ChatOpenAI {
  loadedClass ??= requireEsm<typeof import("@langchain/openai")>("@langchain/openai").ChatOpenAI;
  return loadedClass;
}
