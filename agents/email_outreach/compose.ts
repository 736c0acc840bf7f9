import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { z } from "zod";
import { ToolError, type ToolDispatcher } from "evalgate";
import { JsonReplyError, parseJsonReply } from "../shared/json-reply.ts";
import { askText, systemAndUser, type LlmDeps } from "../shared/message-text.ts";
import { readToolJson, ToolResultError } from "../shared/tool-result.ts";
import { checkDraft } from "./guardrails.ts";
import { COMPOSE_SYSTEM, composeUserMessage, repairMessage, type ComposeRequest } from "./prompt.ts";
import { DraftReply, EnrichmentRecord, PersonaRecord, type Enrichment, type Persona } from "./schema.ts";

/**
 * The email composer shared by email_outreach and the pipeline's outreach phase: one LLM call,
 * plus at most one correction turn when the reply is not valid JSON or fails the guardrails.
 */

export const MAX_COMPOSE_CALLS = 2;

export interface ComposedDraft {
  subject: string;
  body: string;
  /** Guardrail problems left after the correction turn; any problem blocks saving the draft. */
  problems: string[];
  llm_calls: number;
}

/** Throws `JsonReplyError` when the second reply is still not a `{subject, body}` object. */
export async function composeEmail(deps: LlmDeps, req: ComposeRequest): Promise<ComposedDraft> {
  const messages: BaseMessage[] = systemAndUser(COMPOSE_SYSTEM, composeUserMessage(req));
  for (let call = 1; ; call++) {
    const text = await askText(deps, messages);
    const last = call >= MAX_COMPOSE_CALLS;
    let draft: DraftReply;
    try {
      draft = parseJsonReply(text, DraftReply, { step: "email draft" });
    } catch (error) {
      if (last || !(error instanceof JsonReplyError)) throw error;
      messages.push(new AIMessage(text), new HumanMessage(`Your reply was not valid (${error.message}). Reply with one JSON object only: {"subject": "...", "body": "..."}`));
      continue;
    }
    const problems = checkDraft(draft, req);
    if (problems.length === 0 || last) return { subject: draft.subject, body: draft.body, problems, llm_calls: call };
    messages.push(new AIMessage(text), new HumanMessage(repairMessage(problems)));
  }
}

export function formatDraft(draft: { subject: string; body: string }): string {
  return `${draft.subject}\n\n${draft.body}`;
}

export interface Looked<T> {
  value: T | null;
  /** Why the value is missing: a tool error or an unreadable tool result. */
  error?: string;
}

async function lookUp<T>(tools: ToolDispatcher, tool: string, args: Record<string, unknown>, schema: z.ZodType<T>): Promise<Looked<T>> {
  try {
    return { value: readToolJson(tool, await tools.call(tool, args), schema) };
  } catch (error) {
    // Only a recorded tool failure is the agent's to handle; an unrecorded call must fail the run.
    if (error instanceof ToolError) return { value: null, error: `${tool} failed: ${error.message}` };
    if (error instanceof ToolResultError) return { value: null, error: error.message };
    throw error;
  }
}

export function loadEnrichment(tools: ToolDispatcher, companyId: number): Promise<Looked<Enrichment>> {
  return lookUp(tools, "get_enrichment", { company_id: companyId }, EnrichmentRecord);
}

export function loadPersona(tools: ToolDispatcher, contactId: number): Promise<Looked<Persona>> {
  return lookUp(tools, "get_persona", { contact_id: contactId }, PersonaRecord);
}

const CreatedDraft = z.object({ draft_id: z.union([z.number(), z.string()]) });

/**
 * Saves the draft through `create_draft`. Returns the draft id the tool reports (or its raw text
 * when it answers with something else). A `ToolError` propagates: the caller decides what a
 * failed save means for its run.
 */
export async function saveDraft(tools: ToolDispatcher, contactId: number, draft: { subject: string; body: string }): Promise<string> {
  const raw = await tools.call("create_draft", { contact_id: contactId, subject: draft.subject, body: draft.body });
  try {
    const parsed = CreatedDraft.safeParse(JSON.parse(raw));
    if (parsed.success) return String(parsed.data.draft_id);
  } catch {
    // not JSON: keep the tool's own words
  }
  return raw.trim();
}
