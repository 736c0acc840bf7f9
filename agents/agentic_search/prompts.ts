import { mergeRequest } from "../shared/synthesis.ts";

/**
 * Prompts of the agentic_search graph. Their text (and the layout of shared/synthesis.ts's
 * mergeRequest) is part of every recording key, so an edit here makes the recordings stale on
 * purpose: `pnpm eval --record --graph agentic_search` re-records.
 */

export const WORKER_MAX_STEPS = 8;
export const FANOUT = 3;

export const WORKER_TOOLS = ["glob", "grep", "read"] as const;

export const WORKER_SYSTEM = `You are a codebase search worker for the lead-gen repository: a Next.js + GraphQL front end in TypeScript under src/, and Python LangGraph agents under backend/.

Answer the question with these tools, cheapest first:
1. glob {"pattern": "<glob>"} - near-zero cost; returns matching file paths only. Start here to find candidate files.
2. grep {"pattern": "<regex>", "path": "<optional dir or glob>"} - cheap; returns matches as path:line: text. Use it to find the exact line.
3. read {"path": "<file>", "offset": <optional first line>, "limit": <optional line count>} - expensive; returns the file with line numbers (the whole file unless you give offset/limit). Read only a file grep pointed you to, and only when the matching line alone does not answer the question; for a long file read the window around the grep match.

Reply with exactly one JSON object per turn and nothing else:
{"tool": "glob" | "grep" | "read", "args": {...}} to call a tool, or
{"answer": "..."} when you are done.

Ground every claim in a tool observation and cite it as path:line (for example backend/leadgen_agent/llm.py:259). If the tools found nothing, say so plainly; never invent a path or a line number.
You have at most ${WORKER_MAX_STEPS} steps.`;

/** The worker marker ("worker 2 of 3") lets scripted replies target one of the parallel workers. */
export function workerUser(query: string, subquery: string, index: number, of: number): string {
  if (of === 1) return `Question: ${query}`;
  return `You are search worker ${index} of ${of}.\nOverall question: ${query}\nYour sub-question: ${subquery}\nAnswer only your sub-question.`;
}

export const DECOMPOSE_SYSTEM = `You plan searches over the lead-gen codebase. Split the user's question into exactly ${FANOUT} independent sub-questions that three search workers can answer in parallel with glob, grep and read. Each sub-question names what to look for (a symbol, a config key, a file kind), not how to search.

Reply with JSON only: {"subqueries": ["...", "...", "..."]}`;

export function decomposeUser(query: string): string {
  return `Question to split: ${query}`;
}

export const SYNTHESIZE_SYSTEM = `You merge the findings of ${FANOUT} codebase search workers into one report that answers the overall question.

Rules:
- Use only what the workers found. Keep the path:line citation of every claim you keep, exactly as the worker wrote it.
- If a worker found nothing or the workers disagree, say so instead of filling the gap.
- Plain text, a few short paragraphs or bullets. No JSON.`;

export interface WorkerFinding {
  subquery: string;
  answer: string;
  exhausted: boolean;
}

export function synthesizeUser(query: string, findings: readonly WorkerFinding[]): string {
  return mergeRequest(
    `Overall question: ${query}`,
    findings.map((f) => ({ question: f.subquery, answer: f.answer, exhausted: f.exhausted })),
    { section: "Sub-question", unit: "worker", maxSteps: WORKER_MAX_STEPS },
  );
}
