import { describe, expect, it } from "vitest";
import { measureHouseStyle } from "./house-style.ts";

const detail = (id: string, title: string, year: number) => ({
  tool: "get_paper_detail", args: { paper_id: id }, result: JSON.stringify({ paperId: id, title, year }),
});

describe("measureHouseStyle", () => {
  it("counts distinct successful searches and detailed papers with their years", () => {
    const { style, papers } = measureHouseStyle([
      { tool: "search_papers", args: { query: "B2B lead scoring" }, result: "{}" },
      { tool: "search_papers", args: { query: "b2b lead scoring " }, result: "{}" },
      { tool: "search_papers", args: { query: "intent data" }, error: "429 Too Many Requests" },
      { tool: "search_papers", args: { query: "sales pipeline ML", year_from: 2020 }, result: "{}" },
      detail("p1", "Old paper", 2016),
      detail("p2", "New paper", 2022),
      { tool: "get_paper_detail", args: { paper_id: "p3" }, error: "404 paper not found" },
    ]);
    expect(style).toEqual({
      searches: 3, distinct_queries: 2, details: 2,
      enough_searches: false, details_in_range: false, share_2020_plus: 0.5,
    });
    expect(papers).toEqual([{ paper_id: "p1", title: "Old paper", year: 2016 }, { paper_id: "p2", title: "New paper", year: 2022 }]);
  });

  it("accepts three distinct searches and four details as house style", () => {
    const { style } = measureHouseStyle([
      ...["a", "b", "c"].map((query) => ({ tool: "search_papers", args: { query }, result: "[]" })),
      ...[2020, 2021, 2023, 2019].map((year, i) => detail(`p${i}`, `t${i}`, year)),
    ]);
    expect(style).toMatchObject({ enough_searches: true, details_in_range: true, share_2020_plus: 0.75 });
  });

  it("keeps the id of a detail record that is not JSON, and reports no year share", () => {
    const { style, papers } = measureHouseStyle([{ tool: "get_paper_detail", args: { paper_id: "p9" }, result: "Title: X" }]);
    expect(papers).toEqual([{ paper_id: "p9" }]);
    expect(style.share_2020_plus).toBeNull();
  });
});
