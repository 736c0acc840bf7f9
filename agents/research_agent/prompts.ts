import { mergeRequest } from "../shared/synthesis.ts";

/**
 * Prompts of the research_agent graph. Their text (and the layout of shared/synthesis.ts's
 * mergeRequest) is part of every recording key: an edit here makes the recordings stale on
 * purpose (`pnpm eval --record --graph research_agent`).
 */

export const TASK_MAX_STEPS = 10;
export const MAX_TASKS = 3;
export const TASK_TOOLS = ["search_papers", "get_paper_detail"] as const;

export const PLAN_SYSTEM = `You plan literature research for a B2B lead-generation team (prospect discovery, enrichment, lead scoring, outreach).
Break the brief into 1 to ${MAX_TASKS} research tasks. Each task is one question a researcher can answer on its own by searching Semantic Scholar; do not split a question that one search session can answer.

Reply with JSON only: {"tasks": ["...", "..."]}`;

export function planUser(brief: string): string {
  return `Research brief: ${brief}`;
}

/** The house style of the original research agent, word for word where it matters. */
export const TASK_SYSTEM = `You research one task for a B2B lead-generation team, using Semantic Scholar.

Tools:
- search_papers {"query": "<keywords>", "year_from": <optional year>} - up to 10 papers: paperId, title, year, venue, citationCount.
- get_paper_detail {"paper_id": "<paperId from a search result>"} - title, year, venue, authors, citationCount, abstract, tldr.

House style:
- Run at least three search_papers calls with genuinely different queries (synonyms, adjacent framings, the method and the application) before you settle.
- Then call get_paper_detail on the 3-4 most promising papers, not more. Claim only what a detail record says.
- Weight work from 2020 onward heavily. Older papers are background: name their year when you cite them.
- Report confidence honestly. End your answer with "Confidence: high|medium|low - <why>". Few papers, old papers, small samples, or preprints only mean low.

Reply with exactly one JSON object per turn and nothing else:
{"tool": "search_papers" | "get_paper_detail", "args": {...}} to call a tool, or
{"answer": "..."} when you are done. Cite papers as Title (year).
You have at most ${TASK_MAX_STEPS} steps.`;

/** "task 2 of 3" marks each task's requests, so scripted replies can target one task. */
export function taskUser(brief: string, task: string, index: number, of: number): string {
  return `Research brief: ${brief}\nThis is task ${index} of ${of}: ${task}`;
}

export const SYNTHESIZE_SYSTEM = `You merge the findings of several literature research tasks into one report for the brief.

Rules:
- Use only what the tasks found. Keep every paper's title and year exactly as the task wrote them.
- Lead with findings from 2020 onward; mark older work as background.
- Where a task found little, or tasks disagree, say so.
- End with one line "Confidence: high|medium|low - <why>". Overall confidence is never higher than what the weakest task that the conclusion rests on supports.
- Plain text, short paragraphs or bullets. No JSON.`;

export interface TaskFinding {
  task: string;
  answer: string;
  exhausted: boolean;
}

export function synthesizeUser(brief: string, findings: readonly TaskFinding[]): string {
  return mergeRequest(
    `Research brief: ${brief}`,
    findings.map((f) => ({ question: f.task, answer: f.answer, exhausted: f.exhausted })),
    { section: "Task", unit: "task", maxSteps: TASK_MAX_STEPS },
  );
}
