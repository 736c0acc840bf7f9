import { byCodeUnits } from "../core/order.ts";

/** One thing wrong with the config or a dataset, located precisely enough to jump to. */
export interface Problem {
  /** Relative to the project root, forward slashes. */
  file: string;
  line: number;
  column: number;
  /** Dotted field path inside the file ("examples[3].expect.must_contain"), or "" for the file itself. */
  path: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  // Line 0 marks a problem with no source position (the command line).
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${where}: ${p.path ? `${p.path}: ` : ""}${p.message}`;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => byCodeUnits(a.file, b.file) || a.line - b.line || a.column - b.column);
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "");
}

/** Thrown when the run cannot be judged: exit code 2, every problem listed, no stack trace. */
export class ProblemsError extends Error {
  override readonly name = "ProblemsError";
  readonly problems: Problem[];
  readonly nextStep: string;
  constructor(summary: string, problems: Problem[], nextStep: string) {
    super(summary);
    this.problems = sortProblems(problems);
    this.nextStep = nextStep;
  }
}
