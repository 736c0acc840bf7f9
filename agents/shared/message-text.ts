import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { AgentContext } from "evalgate";

/** What a single model call needs from the context (the pipeline's workers pass the whole ctx). */
export type LlmDeps = Pick<AgentContext, "llm" | "signal">;

/** The text of a chat model reply, whether content came back as a string or as content parts. */
export function messageText(message: BaseMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  return content
    .map((part) => (typeof part === "string" ? part : "text" in part && typeof part.text === "string" ? part.text : ""))
    .join("");
}

/** The opening of every conversation here: one system prompt, one user turn. */
export function systemAndUser(system: string, user: string): BaseMessage[] {
  return [new SystemMessage(system), new HumanMessage(user)];
}

/** One model call; the reply's text. Aborts with the example. */
export async function askText(deps: LlmDeps, messages: BaseMessage[]): Promise<string> {
  return messageText(await deps.llm.invoke(messages, { signal: deps.signal }));
}
