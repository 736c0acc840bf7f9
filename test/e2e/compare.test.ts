import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Comparison } from "../../core/compare.ts";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.ts";
import { copyFixture, editFile, runCli } from "../support/cli.ts";

/**
 * `compare --base` on a fixture git repository: commit 1 is recorded from scripted replies;
 * the working tree then edits the greeting prompt (and its scripted reply), adds an example,
 * removes one, and adds a dataset version. The comparison must list exactly what changed.
 */

const git = (dir: string, ...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.invalid", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.invalid" } }).trim();
const readCompare = (dir: string, outDir = ".evalgate") => Comparison.parse(JSON.parse(readFileSync(join(dir, outDir, "compare.json"), "utf8")));

describe("compare --base", () => {
  let repo: string;
  let baseSha: string;
  let compared: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    repo = copyFixture("review");
    editFile(repo, "datasets/writer/v1.yaml", (t) => `${t}
  - id: shouts
    input: { question: "shout the count" }
    expect: { must_contain: ["COUNT"] }
    pass: true
`);
    editFile(repo, "datasets/writer/authoring/v1.replies.yaml", (t) => `${t}  shouts:
    - reply: "the count, drafted"
    - reply: "THE COUNT!"
`);
    const authored = await runCli(["--record", "--replies"], { cwd: repo });
    if (authored.code !== 0) throw new Error(authored.stdout + authored.stderr);
    git(repo, "init", "-q", "-b", "main");
    writeFileSync(join(repo, ".gitignore"), ".evalgate/\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "base");
    baseSha = git(repo, "rev-parse", "HEAD");

    // The change under review: a greeting prompt edit whose new reply drops "hello".
    editFile(repo, "agents/writer.ts", (t) => t.replace('"Greet plainly."', '"Greet like a friend."'));
    editFile(repo, "datasets/writer/authoring/v1.replies.yaml", (t) => t.replace('    - reply: "Hello there!"', '    - reply: "Hi there, friend!"'));
    // One example added, one removed, and a new dataset version.
    editFile(repo, "datasets/writer/v1.yaml", (t) => t.replace(/\n  - id: shouts[\s\S]*$/, "\n") + `
  - id: waves
    input: { question: "wave goodbye" }
    expect: { must_contain: ["bye"] }
    pass: true
`);
    editFile(repo, "datasets/writer/authoring/v1.replies.yaml", (t) => t.replace(/  shouts:[\s\S]*$/, "") + `  waves:
    - reply: "bye, drafted"
    - reply: "Bye!"
`);
    writeFileSync(join(repo, "datasets/writer/v2.yaml"), readFileSync(join(repo, "datasets/writer/v1.yaml"), "utf8").replace("version: 1", "version: 2"));
    writeFileSync(join(repo, "datasets/writer/authoring/v2.replies.yaml"), readFileSync(join(repo, "datasets/writer/authoring/v1.replies.yaml"), "utf8"));
    const stale = await runCli(["--record", "--replies", "--stale"], { cwd: repo });
    expect(stale.code).toBe(1); // greets now fails its must_contain: the gate is red, as it should be
    git(repo, "checkout", "-q", "-b", "prompt-change");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "greet like a friend");
    compared = await runCli(["compare", "--base", "main"], { cwd: repo });
  });

  it("exits with the head's gate: a comparison never turns a red gate green", () => {
    expect(compared.stderr).toBe("");
    expect(compared.code).toBe(1);
    expect(readCompare(repo).gate.exit_code).toBe(1);
  });

  it("lists the changed example with its verdict transition, answer diff and the request that changed", () => {
    const c = readCompare(repo);
    const greets = c.examples.find((e) => e.id === "greets" && e.dataset_version === 1)!;
    expect(greets.status).toBe("changed");
    expect([greets.base_verdict, greets.head_verdict]).toEqual(["ok", "regression"]);
    expect(greets.changed).toEqual(expect.arrayContaining(["verdict", "answer", "requests", "checks"]));
    expect(greets.answer.diff).toEqual(expect.arrayContaining([{ op: "delete", text: "Hello" }, { op: "insert", text: "Hi" }]));
    const call = greets.requests.find((r) => r.status === "changed")!;
    expect(call.call).toBe(2);
    expect(call.explanation.join("\n")).toContain("messages[0] (system) changed at line 2");
    expect(call.explanation.join("\n")).toContain('head:     "Greet like a friend."');
    expect(call.explanation.join("\n")).toContain('base:     "Greet plainly."');
    expect(greets.checks.find((k) => k.name === "must_contain")).toMatchObject({ flipped: true, base: { pass: true }, head: { pass: false } });
    expect(c.base.sha).toBe(baseSha);
    expect(c.base.source).toBe("git");
  });

  it("does not list unchanged examples as changed; lists added and removed ones; says a dataset version is new", () => {
    const c = readCompare(repo);
    const byKey = Object.fromEntries(c.examples.map((e) => [`v${e.dataset_version}/${e.id}`, e.status]));
    expect(byKey).toMatchObject({ "v1/greets": "changed", "v1/counts": "unchanged", "v1/waves": "added", "v1/shouts": "removed", "v2/greets": "added", "v2/counts": "added", "v2/waves": "added" });
    expect(c.counts).toMatchObject({ changed: 1, unchanged: 1, removed: 1, verdict_changes: 1 });
    expect(c.datasets).toEqual([{ graph: "writer", version: 1, status: "both" }, { graph: "writer", version: 2, status: "added" }]);
    const md = readFileSync(join(repo, ".evalgate/compare.md"), "utf8");
    expect(md).toContain("<!-- evalgate:compare -->");
    expect(md).toContain("### Regressions (");
    expect(md).toContain("dataset **writer@v2** is new in head (writer also has v1, compared version by version)");
    expect(md).toContain("<del>Hello</del><ins>Hi</ins>");
    expect(md).not.toContain("writer@v1 counts:");
    expect(compared.stdout).toMatch(/evalgate compare: prompt-change \([0-9a-f]{7}\) against main \([0-9a-f]{7}\)/);
    expect(compared.stdout).toContain("changed  writer@v1 greets");
    expect(compared.stdout.slice(compared.stdout.indexOf("evalgate compare:"))).not.toContain("writer@v1 counts");
  });

  it("rewrites report.html with the baseline, and removes its worktree", () => {
    const html = readFileSync(join(repo, ".evalgate/report.html"), "utf8");
    expect(html.length).toBeGreaterThan(1000);
    expect(git(repo, "worktree", "list").split("\n")).toHaveLength(1);
    expect(readdirSync(dirname(repo)).filter((n) => n.includes("evalgate-base"))).toEqual([]);
  });

  it("--base <report.json> and --base <out dir> use a saved run as the baseline", async () => {
    git(repo, "checkout", "-q", "main");
    try {
      const saved = await runCli(["-o", "saved-base"], { cwd: repo });
      expect(saved.code).toBe(0);
    } finally {
      git(repo, "checkout", "-q", "prompt-change");
    }
    for (const base of ["saved-base/report.json", "saved-base"]) {
      const run = await runCli(["compare", "--base", base, "-o", "cmp"], { cwd: repo });
      expect(run.code).toBe(1);
      const c = readCompare(repo, "cmp");
      expect(c.base.source).toBe("report");
      expect(c.examples.find((e) => e.id === "greets" && e.dataset_version === 1)).toMatchObject({ status: "changed", base_verdict: "ok", head_verdict: "regression" });
    }
  });

  it("says when the head side is a working tree with uncommitted changes, not the commit it names", async () => {
    editFile(repo, "datasets/writer/v1.yaml", (t) => t.replace("description:", "description: edited,"));
    try {
      const run = await runCli(["compare", "--base", "HEAD"], { cwd: repo });
      expect(run.stdout).toMatch(/evalgate compare: prompt-change with uncommitted changes \([0-9a-f]{7}\) against HEAD \([0-9a-f]{7}\)/);
    } finally {
      git(repo, "checkout", "--", "datasets/writer/v1.yaml");
    }
  });

  it("a base that is neither a file nor a git ref exits 2 with what to pass", async () => {
    const run = await runCli(["compare", "--base", "no-such-branch"], { cwd: repo });
    expect(run.code).toBe(2);
    // Checked before the head runs: no "gate passed" line to contradict the exit code.
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('"no-such-branch" is not a report.json, a folder holding one, or a ref git knows');
  });

  describe("the sticky PR comment (fake GitHub API on 127.0.0.1)", () => {
    let github: FakeGitHub;
    let env: Record<string, string>;

    beforeAll(async () => {
      github = await startFakeGitHub();
      const event = join(repo, "event.json");
      writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
      env = { GITHUB_ACTIONS: "true", GITHUB_TOKEN: github.token, GITHUB_REPOSITORY: "acme/agents", GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: "pull_request", GITHUB_API_URL: github.url };
    });
    afterAll(() => github.close());

    it("the first run creates one comment, the next edits it: one comment with the marker and the regressions", async () => {
      const first = await runCli(["compare", "--base", "main", "--comment", "-o", "c1"], { cwd: repo, env });
      expect(first.code).toBe(1);
      expect(first.stdout).toContain("PR comment created");
      const second = await runCli(["compare", "--base", "main", "--comment", "-o", "c2"], { cwd: repo, env });
      expect(second.code).toBe(1);
      expect(second.stdout).toContain("PR comment updated");
      const comments = github.comments.filter((c) => c.owner === "acme" && c.repo === "agents" && c.issueNumber === 7);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain("<!-- evalgate:compare -->");
      expect(comments[0]!.body).toContain("### Regressions (");
      expect(comments[0]!.body).toContain("writer@v1 greets");
    });

    it("a 500 from the API leaves the exit code as the gate decided", async () => {
      github.failWith(500);
      const run = await runCli(["compare", "--base", "main", "--comment", "-o", "c3"], { cwd: repo, env });
      github.heal();
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("the PR comment could not be posted (the verdict stands)");
      expect(existsSync(join(repo, "c3/compare.json"))).toBe(true);
    });
  });
});
