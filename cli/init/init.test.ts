import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { initProject } from "./init.ts";

describe("init in a project whose package.json is CommonJS", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const project = (pkg: object) => {
    const dir = mkdtempSync(join(tmpdir(), "evalgate-init-"));
    dirs.push(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
    return dir;
  };
  const lines = (dir: string) => {
    const said: string[] = [];
    expect(initProject({ dir, graph: "faq_bot" }, (line) => said.push(line))).toBe(0);
    return said.join("\n");
  };

  it('says what Node will warn about when "type" is "commonjs" (what npm init writes) or missing', () => {
    expect(lines(project({ name: "a", type: "commonjs" }))).toContain('package.json has no "type": "module"');
    expect(lines(project({ name: "b" }))).toContain('package.json has no "type": "module"');
  });

  it('says nothing about it in an ES module project', () => {
    expect(lines(project({ name: "c", type: "module" }))).not.toContain('"type"');
  });
});
