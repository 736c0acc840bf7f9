import type { ToolLoopResult } from "../shared/tool-loop.ts";

export interface PaperRef {
  paper_id: string;
  title?: string;
  year?: number;
}

export interface HouseStyle {
  /** search_papers calls that returned results (a failed call is not a search). */
  searches: number;
  distinct_queries: number;
  /** get_paper_detail calls that returned a record. */
  details: number;
  /** The three checks of the house style, so a report can show which one a task skipped. */
  enough_searches: boolean;
  details_in_range: boolean;
  /** Share of detailed papers from 2020 onward (null when no detailed paper has a year). */
  share_2020_plus: number | null;
}

/**
 * Measures one task's tool use against the house style (≥3 distinct searches, details for 3-4
 * papers, 2020+ weighted). It reports; it does not enforce: the scorers and reviewers decide.
 */
export function measureHouseStyle(observations: ToolLoopResult["observations"]): { style: HouseStyle; papers: PaperRef[] } {
  const succeeded = observations.filter((o) => o.result !== undefined);
  const queries = succeeded
    .filter((o) => o.tool === "search_papers")
    .map((o) => (typeof o.args.query === "string" ? o.args.query.trim().toLowerCase() : ""));
  const papers = succeeded.filter((o) => o.tool === "get_paper_detail").map((o) => paperRef(o.args.paper_id, o.result!));
  const years = papers.flatMap((p) => (p.year !== undefined ? [p.year] : []));
  const distinct = new Set(queries).size;
  return {
    style: {
      searches: queries.length,
      distinct_queries: distinct,
      details: papers.length,
      enough_searches: distinct >= 3,
      details_in_range: papers.length >= 3 && papers.length <= 4,
      share_2020_plus: years.length === 0 ? null : years.filter((y) => y >= 2020).length / years.length,
    },
    papers,
  };
}

/** A detail record is JSON from the Semantic Scholar wrapper; anything else still yields the id. */
function paperRef(id: unknown, result: string): PaperRef {
  const ref: PaperRef = { paper_id: typeof id === "string" ? id : JSON.stringify(id) };
  try {
    const record: unknown = JSON.parse(result);
    if (typeof record === "object" && record !== null) {
      const { title, year } = record as Record<string, unknown>;
      if (typeof title === "string") ref.title = title;
      if (typeof year === "number") ref.year = year;
    }
  } catch {
    // Not JSON: the id is all we can report.
  }
  return ref;
}
