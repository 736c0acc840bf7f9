import { relative } from "node:path";
import { RepliesFile } from "../core/replies.ts";
import type { Dataset } from "../core/dataset.ts";
import { readUserFile } from "./file-text.ts";
import { DATASET_LIMITS } from "./load-datasets.ts";
import { formatPath, type Problem } from "./problems.ts";
import { parseYamlSource } from "./yaml-source.ts";

/** Reads and validates the scripted replies of the datasets a `--record --replies` run selected. */
export async function loadReplies(rootDir: string, datasets: Iterable<Dataset>): Promise<{ replies: Map<Dataset, RepliesFile>; problems: Problem[] }> {
  const replies = new Map<Dataset, RepliesFile>();
  const problems: Problem[] = [];
  const selected = [...datasets];
  // Graphs that do have replies: recording only them is the other way out (a stub graph needs none).
  const scripted = [...new Set(selected.filter((d) => d.repliesFile).map((d) => d.graph))];
  const only = scripted.length ? `, or record only the graphs that have them: --graph ${scripted.join(",")}` : "";
  for (const dataset of selected) {
    if (!dataset.repliesFile) {
      problems.push({ file: dataset.file, line: 1, column: 1, path: "", message: `--replies needs scripted replies for ${dataset.graph}@v${dataset.version} in datasets/${dataset.graph}/authoring/v${dataset.version}.replies.yaml (see README, "Scripted replies"), or record it against an endpoint without --replies${only}` });
      continue;
    }
    const file = relative(rootDir, dataset.repliesFile).split("\\").join("/");
    const read = await readUserFile(dataset.repliesFile, DATASET_LIMITS.maxBytes);
    if (!read.ok) {
      problems.push({ file, line: read.line ?? 1, column: read.column ?? 1, path: "", message: `the replies file ${read.message}` });
      continue;
    }
    const src = parseYamlSource(file, read.text);
    if (src.syntaxProblems.length) {
      problems.push(...src.syntaxProblems);
      continue;
    }
    const parsed = RepliesFile.safeParse(src.doc.toJS({ maxAliasCount: DATASET_LIMITS.maxAliases }));
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => ({ ...src.problem(issue.path, issue.message), path: formatPath(issue.path) })));
      continue;
    }
    const ids = new Set(dataset.examples.map((e) => e.id));
    for (const id of Object.keys(parsed.data.examples)) {
      if (!ids.has(id)) problems.push(src.problem(["examples", id], `"${id}" is not an example of ${dataset.file}`));
    }
    replies.set(dataset, parsed.data);
  }
  return { replies, problems };
}
