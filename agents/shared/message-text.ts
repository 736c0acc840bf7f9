import type { BaseMessage } from "@langchain/core/messages";

/** The text of a chat model reply, whether content came back as a string or as content parts. */
export function messageText(message: BaseMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  return content
    .map((part) => (typeof part === "string" ? part : "text" in part && typeof part.text === "string" ? part.text : ""))
    .join("");
}
