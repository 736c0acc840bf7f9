import { z } from "zod";
import { ContactRecord, EnrichmentRecord, HumanDecision, type Contact, type Enrichment, type Persona } from "../email_outreach/schema.ts";

export const PipelineInput = z.strictObject({
  /** The ideal customer profile brief the run prospects for. */
  icp: z.string().min(1),
  /** Explicit seed domains (the operator's DOMAINS= list); when absent the model brainstorms them. */
  domains: z.array(z.string().min(1)).min(1).optional(),
  /** true: outreach drafts without asking; false: the human gate decides (`human_decision`). */
  auto_confirm: z.boolean(),
  /** The reviewer's answer at the outreach checkpoint; read only when auto_confirm is false. */
  human_decision: HumanDecision.optional(),
  /** Cap on companies taken from discovery. */
  max_companies: z.number().int().min(1).max(10).default(5),
}).superRefine((input, ctx) => {
  if (!input.auto_confirm && input.human_decision === undefined) {
    ctx.addIssue({ code: "custom", path: ["human_decision"], message: "auto_confirm is false, so the human gate needs a human_decision (approve or skip)" });
  }
  if (input.auto_confirm && input.human_decision !== undefined) {
    ctx.addIssue({ code: "custom", path: ["human_decision"], message: "auto_confirm is true, so human_decision would be ignored; remove it or set auto_confirm: false" });
  }
});
export type PipelineInput = z.infer<typeof PipelineInput>;

/** What every phase returns, and what its span carries as attributes. */
export interface StageReport {
  processed: number;
  created: number;
  errors: string[];
  duration_ms: number;
}

export const PHASES = ["discover", "enrich", "contacts", "qa", "outreach"] as const;
export type PhaseName = (typeof PHASES)[number];

// Tool results (rows read back from the database side).
export const CompanyRow = z.object({ id: z.number().int(), name: z.string().min(1), domain: z.string().min(1) });
export type CompanyRow = z.infer<typeof CompanyRow>;
export const CompanyRows = z.array(CompanyRow);
export const ContactRows = z.array(ContactRecord);
export const RowCounts = z.object({ companies: z.number().int(), enrichments: z.number().int(), contacts: z.number().int() });
export type RowCounts = z.infer<typeof RowCounts>;
export const QueueRows = z.object({ contact_ids: z.array(z.number().int()) });

// Model replies.
export const DiscoverReply = z.object({ domains: z.array(z.string().min(1)) });
export const EnrichReply = EnrichmentRecord;
export const PersonaReply = z.object({
  personas: z.array(z.object({
    contact_id: z.number().int(),
    score: z.number().min(0).max(1),
    pains: z.array(z.string()).default([]),
    tone: z.string().optional(),
  })),
});
export const CriticReply = z.object({
  pass_rate: z.number().min(0).max(1),
  comments: z.array(z.string()).default([]),
});

/** A contact with the persona the contacts phase scored for it. */
export interface ScoredContact {
  contact: Contact;
  persona: Persona | null;
}

export interface EnrichedCompany {
  company: CompanyRow;
  enrichment: Enrichment;
}

export interface DraftRecord {
  contact_id: number;
  company_id: number;
  to: string;
  company: string;
  subject: string;
  body: string;
  problems: string[];
  /** Set when `create_draft` saved it. */
  draft_id: string | null;
}
