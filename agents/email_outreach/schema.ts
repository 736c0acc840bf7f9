import { z } from "zod";

/**
 * Shapes shared by email_outreach and the pipeline's outreach phase. Inputs are strict (a typo
 * in a dataset is reported at load); records read back from tools strip unknown keys instead,
 * because a database row may carry columns the composer does not use.
 */

const contactShape = {
  id: z.number().int().nonnegative(),
  first_name: z.string().min(1),
  last_name: z.string().min(1),
  title: z.string().min(1),
  email: z.string().email(),
};
export const Contact = z.strictObject(contactShape);
export const ContactRecord = z.object(contactShape);
export type Contact = z.infer<typeof Contact>;

export const Company = z.strictObject({
  id: z.number().int().nonnegative(),
  name: z.string().min(1),
  domain: z.string().min(1),
});
export type Company = z.infer<typeof Company>;

const enrichmentShape = {
  summary: z.string().min(1),
  industry: z.string().min(1).optional(),
  /** Concrete, checkable facts an email may open with (a launch, a hiring push, a stack choice). */
  hooks: z.array(z.string().min(1)).default([]),
};
export const Enrichment = z.strictObject(enrichmentShape);
export const EnrichmentRecord = z.object(enrichmentShape);
export type Enrichment = z.infer<typeof Enrichment>;

const personaShape = {
  /** 0..1 fit with the ICP, from contact enrichment. */
  score: z.number().min(0).max(1).optional(),
  pains: z.array(z.string().min(1)).default([]),
  tone: z.string().min(1).optional(),
};
export const Persona = z.strictObject(personaShape);
export const PersonaRecord = z.object(personaShape);
export type Persona = z.infer<typeof Persona>;

export const EmailKind = z.enum(["cold", "follow_up"]);
export type EmailKind = z.infer<typeof EmailKind>;

export const HumanDecision = z.enum(["approve", "skip"]);
export type HumanDecision = z.infer<typeof HumanDecision>;

export const EmailOutreachInput = z.strictObject({
  contact: Contact,
  company: Company,
  /** Inline enrichment; when absent the agent asks `get_enrichment`. */
  enrichment: Enrichment.optional(),
  /** Inline persona; when absent the agent asks `get_persona`. */
  persona: Persona.optional(),
  kind: EmailKind,
  /** The email being followed up on; required for a follow-up, meaningless for a cold email. */
  previous_email: z.string().min(1).optional(),
  /** What the reviewer decides at the human gate once the draft is composed. */
  human_decision: HumanDecision,
}).superRefine((input, ctx) => {
  if (input.kind === "follow_up" && input.previous_email === undefined) {
    ctx.addIssue({ code: "custom", path: ["previous_email"], message: "a follow_up needs the previous_email it follows up on" });
  }
  if (input.kind === "cold" && input.previous_email !== undefined) {
    ctx.addIssue({ code: "custom", path: ["previous_email"], message: "a cold email has no previous_email; use kind: follow_up" });
  }
});
export type EmailOutreachInput = z.infer<typeof EmailOutreachInput>;

/** What the model must return. */
export const DraftReply = z.object({
  subject: z.string().trim().min(1),
  body: z.string().trim().min(1),
});
export type DraftReply = z.infer<typeof DraftReply>;
