import { describe, expect, it } from "vitest";
import { sampleReport } from "../testing/sample-report.ts";
import { exampleTrace } from "../trace-tree.ts";
import { canonicalJson, compactTime, exampleRecord, examplesToSync, experimentName, isoMicros, planDatasets, planTrace } from "./plan.ts";

const T0 = Date.parse("2026-11-21T10:00:00.000Z");

describe("examplesToSync", () => {
  const desired = sampleReport().examples.map(exampleRecord);

  it("creates what is missing, updates what differs, and ignores metadata keys the server adds", () => {
    const existing = [
      { ...desired[0]!, metadata: { ...desired[0]!.metadata, dataset_split: ["base"] } },
      { ...desired[1]!, inputs: { question: "an older wording" } },
      { id: "ffffffff-0000-5000-8000-000000000000", inputs: {}, outputs: {}, metadata: {} },
    ];
    const sync = examplesToSync(desired, existing);
    expect(sync.create.map((e) => e.id)).toEqual([desired[2]!.id]);
    expect(sync.update.map((e) => e.id)).toEqual([desired[1]!.id]);
    expect(sync.unchanged).toBe(1);
  });

  it("treats key order as irrelevant and a changed line number as a change", () => {
    const reordered = { ...desired[0]!, outputs: { expected_pass: true, expect: { max_steps: 4, must_contain: ["2607"] } } };
    expect(examplesToSync([desired[0]!], [reordered]).unchanged).toBe(1);
    const moved = { ...desired[0]!, metadata: { ...desired[0]!.metadata, line: 99 } };
    expect(examplesToSync([desired[0]!], [moved]).update).toHaveLength(1);
  });
});

describe("naming", () => {
  it("names experiments after prefix, dataset, short sha (or run stamp) and a random part", () => {
    const report = sampleReport();
    const [plan] = planDatasets(report);
    expect(experimentName("ci", plan!, report, "abc123")).toBe("ci-admin_chat@v2-0123456-abc123");
    report.run.git.sha = null;
    expect(experimentName("ci", plan!, report, "abc123")).toBe("ci-admin_chat@v2-20261121T100000Z-abc123");
  });

  it("groups examples by dataset in order of first appearance", () => {
    expect(planDatasets(sampleReport()).map((p) => [p.name, p.examples.length, p.description])).toEqual([
      ["admin_chat@v2", 2, "read-only database Q&A"],
      ["pipeline@v1", 1, "five-phase pipeline"],
    ]);
  });
});

describe("time formats", () => {
  it("keeps microseconds in start times and dotted-order segments", () => {
    const us = T0 * 1000 + 1250;
    expect(isoMicros(us)).toBe("2026-11-21T10:00:00.001250Z");
    expect(compactTime(us)).toBe("20261121T100000001250Z");
  });

  it("sorts keys in canonical JSON", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
  });
});

describe("planTrace", () => {
  const example = sampleReport().examples[0]!;
  const trace = exampleTrace(example, T0);
  const planned = planTrace(example, trace, { experimentId: "exp-1", experimentName: "ci-x" });

  it("chains dotted orders along parent links and shares one trace id", () => {
    const [root, ...children] = planned.runs;
    expect(root!.dotted_order).toBe(`${compactTime(trace.root.startUs)}${root!.id}`);
    for (const child of children) {
      expect(child.parent_run_id).toBe(root!.id);
      expect(child.dotted_order).toMatch(new RegExp(`^${root!.dotted_order}\\.\\d{8}T\\d{12}Z${child.id}$`));
      expect(child.trace_id).toBe(root!.id);
    }
  });

  it("gives the same ids for the same experiment and new ones for another", () => {
    const again = planTrace(example, trace, { experimentId: "exp-1", experimentName: "ci-x" });
    expect(again.runs.map((r) => r.id)).toEqual(planned.runs.map((r) => r.id));
    const other = planTrace(example, trace, { experimentId: "exp-2", experimentName: "ci-y" });
    expect(other.runs.map((r) => r.id).some((id) => planned.runs.some((r) => r.id === id))).toBe(false);
  });

  it("turns scores, the verdict and the outcome into feedback with reasons", () => {
    expect(planned.feedback.map((f) => [f.key, f.score, f.value ?? null, f.comment])).toEqual([
      ["must_contain", 1, null, "pass: All present"],
      ["trajectory", 0.6667, null, expect.stringMatching(/^pass: 2 of 3 steps/)],
      ["verdict", 1, "ok", "ok: expected pass, got pass"],
      ["pass", 1, null, "pass"],
    ]);
  });
});
