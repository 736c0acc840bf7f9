import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Dataset } from "../core/dataset.ts";
import { loadReplies } from "./load-replies.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const dataset = (graph: string, repliesFile: string | null): Dataset =>
  ({ graph, version: 1, description: graph, file: `datasets/${graph}/v1.yaml`, absFile: `/p/datasets/${graph}/v1.yaml`, contentHash: "0", recordingsDir: `/p/datasets/${graph}/recordings/v1`, examples: [{ id: "greets" }], ...(repliesFile ? { repliesFile } : {}) }) as unknown as Dataset;

describe("loadReplies", () => {
  it("a graph without replies (a stub that calls no model) is told the way around it: record only the graphs that have them", async () => {
    const root = mkdtempSync(join(tmpdir(), "evalgate-replies-"));
    dirs.push(root);
    const file = join(root, "v1.replies.yaml");
    writeFileSync(file, 'examples:\n  greets:\n    - reply: "hi"\n');
    const { problems } = await loadReplies(root, [dataset("faq_bot", file), dataset("support_bot", null)]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain("--replies needs scripted replies for support_bot@v1");
    expect(problems[0]!.message).toContain("or record only the graphs that have them: --graph faq_bot");
  });
});
