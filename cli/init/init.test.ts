import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

describe("init's workflow installs the way the project does", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const init = (pkg: object, files: string[], userAgent = "npm/11.6.0 node/v22.23.3 linux x64") => {
    const dir = mkdtempSync(join(tmpdir(), "evalgate-init-"));
    dirs.push(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", ...pkg }));
    for (const file of files) writeFileSync(join(dir, file), "");
    const said: string[] = [];
    expect(initProject({ dir, graph: "faq_bot", env: { npm_config_user_agent: userAgent } }, (line) => said.push(line))).toBe(0);
    const workflow = readFileSync(join(dir, ".github/workflows/evalgate.yml"), "utf8");
    return { said: said.join("\n"), workflow };
  };

  it("pnpm named in packageManager: the action reads it there, so the workflow names no version", () => {
    const { said, workflow } = init({ packageManager: "pnpm@9.15.4" }, ["pnpm-lock.yaml"]);
    expect(workflow).toContain("- uses: pnpm/action-setup@v4\n      - uses: actions/setup-node@v4");
    expect(workflow).toContain("pnpm install --frozen-lockfile");
    expect(said).not.toContain("packageManager");
    expect(said).toContain("Next: pnpm eval (the stub passes)");
  });

  it("a pnpm lockfile without packageManager: the workflow pins the version of the pnpm running init, and says so", () => {
    const { said, workflow } = init({}, ["pnpm-lock.yaml"], "pnpm/9.15.4 npm/? node/v22.23.3 linux x64");
    expect(workflow).toContain("- uses: pnpm/action-setup@v4\n        with:\n          version: 9\n");
    expect(said).toContain('package.json names no "packageManager", so the workflow pins pnpm 9');
    // Run by npx (npm's user agent): pnpm's current major.
    expect(init({}, ["pnpm-lock.yaml"]).workflow).toContain("version: 10\n");
  });

  it("npm's lockfile: npm ci and npm run eval, in the workflow and in the next steps", () => {
    const { said, workflow } = init({}, ["package-lock.json"]);
    expect(workflow).not.toContain("pnpm");
    expect(workflow).toContain("cache: npm");
    expect(workflow).toContain("run: npm ci");
    expect(workflow).toContain('npm run eval -- compare --base "origin/${{ github.base_ref }}" --comment');
    expect(said).toContain("Next: npm run eval (the stub passes)");
    expect(said).toContain("OPENAI_API_KEY=… npm run eval -- --record");
  });

  it("yarn or bun, or no lockfile yet: npm's workflow, with a note on what to change", () => {
    expect(init({}, ["yarn.lock"]).said).toContain("this project uses yarn: the workflow installs with `npm ci`");
    expect(init({}, ["bun.lockb"]).said).toContain("this project uses bun:");
    expect(init({}, []).said).toContain("no lockfile yet: the workflow installs with `npm ci`, which needs package-lock.json");
    expect(init({}, [], "pnpm/10.34.9 npm/? node/v22.23.3 linux x64").workflow).toContain("version: 10\n");
  });
});

describe("init for a second graph in a project that has a config", () => {
  it("says which line to add to eval.config.ts, since it never edits the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "evalgate-init-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
      const run = (graph: string) => {
        const said: string[] = [];
        expect(initProject({ dir, graph, env: {} }, (line) => said.push(line))).toBe(0);
        return said.join("\n");
      };
      const first = run("support_bot");
      expect(first).not.toContain("has no graph");
      expect(first).toContain("no lockfile yet");
      const second = run("faq_bot");
      // The workflow was kept, so nothing is said about its install step.
      expect(second).toContain("skipped .github/workflows/evalgate.yml");
      expect(second).not.toContain("no lockfile yet");
      expect(second).toContain("skipped eval.config.ts");
      expect(second).toContain('eval.config.ts has no graph "faq_bot" yet: add  faq_bot: "./evals/faq_bot.ts",  to its graphs');
      // Once it is there, nothing to say.
      writeFileSync(join(dir, "eval.config.ts"), readFileSync(join(dir, "eval.config.ts"), "utf8").replace("graphs: {", 'graphs: { faq_bot: "./evals/faq_bot.ts",'));
      expect(run("faq_bot")).not.toContain("has no graph");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("init --wrap", () => {
  it("refuses an export the module does not have, naming the ones it has", () => {
    const dir = mkdtempSync(join(tmpdir(), "evalgate-init-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
      mkdirSync(join(dir, "src"));
      writeFileSync(join(dir, "src/bot.ts"), 'export async function answer(q: string) { return q; }\nexport const VERSION = "1";\nfunction helper() {}\nexport { helper as assist };\n');
      const init = (wrap: string) => {
        const said: string[] = [];
        const code = initProject({ dir, graph: "faq_bot", wrap, env: {} }, (line) => said.push(line));
        return { code, said: said.join("\n") };
      };
      const typo = init("src/bot.ts#anwser");
      expect(typo.code).toBe(2);
      expect(typo.said).toBe('evalgate init: --wrap: src/bot.ts has no export "anwser"; did you mean "answer"? (it exports answer, VERSION, assist)');
      expect(init("src/bot.ts#assist").code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
