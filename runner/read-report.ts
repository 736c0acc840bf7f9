import { readFileSync } from "node:fs";
import { Report } from "../core/report.ts";
import { formatPath, ProblemsError } from "./problems.ts";

/** A saved report.json, validated, or every problem with it (exit 2): `upload` and `compare --base` read them. */
export function readReportFile(path: string, shown: string, nextStep = "re-run the gate to produce a fresh report.json"): Report {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ProblemsError(`cannot read ${shown}`, [{ file: shown, line: 1, column: 1, path: "", message: (error as Error).message }], "pass the report.json an evalgate run wrote (by default .evalgate/report.json)");
  }
  const parsed = Report.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 20).map((i) => ({ file: shown, line: 1, column: 1, path: formatPath(i.path), message: i.message }));
    throw new ProblemsError(`${shown} is not an evalgate report (schema evalgate.report/1)`, problems, nextStep);
  }
  return parsed.data;
}
