/**
 * Pulls `path:line` (or `path:start-end`) citations out of a report, in order of first use.
 * A path needs a file extension, which keeps times ("12:30") and bare words out. It may not start
 * mid-token, which keeps URL hosts with ports ("https://api.example.com:443") out.
 */
const CITATION = /(?<![\w./:@-])(\/?(?:[\w.-]+\/)*[\w-][\w.-]*\.[A-Za-z][A-Za-z0-9]*):(\d+)(?:[-–](\d+))?(?![\w])/g;

export function extractCitations(report: string): string[] {
  const seen = new Set<string>();
  for (const match of report.matchAll(CITATION)) {
    const [, path, start, end] = match;
    seen.add(end !== undefined ? `${path}:${start}-${end}` : `${path}:${start}`);
  }
  return [...seen];
}
