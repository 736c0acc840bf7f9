import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gitInfo } from "./run-info.ts";

// The real execFileSync, counted: start-up pays for every git process a run spawns.
const spawned = vi.hoisted(() => ({ git: 0 }));
vi.mock("node:child_process", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:child_process")>();
  return {
    ...actual,
    execFileSync: ((file: string, ...rest: unknown[]) => {
      if (file === "git") spawned.git++;
      return (actual.execFileSync as (...args: unknown[]) => unknown)(file, ...rest);
    }) as typeof actual.execFileSync,
  };
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "evalgate-gitinfo-"));
  dirs.push(dir);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, encoding: "utf8" }).trim();
  git("init", "-q", "-b", "feature/x");
  writeFileSync(join(dir, "a.txt"), "a\n");
  git("add", "a.txt");
  git("commit", "-q", "-m", "one");
  return dir;
}

describe("gitInfo", () => {
  it("reads the commit and the branch from one git call", () => {
    const dir = repo();
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();
    spawned.git = 0;
    expect(gitInfo(dir, {})).toEqual({ sha, branch: "feature/x" });
    expect(spawned.git).toBe(1);
  });

  it("names no branch on a detached HEAD, and nothing outside a repository or before the first commit", () => {
    const dir = repo();
    execFileSync("git", ["checkout", "-q", "--detach"], { cwd: dir });
    expect(gitInfo(dir, {}).branch).toBeNull();
    expect(gitInfo(dir, {}).sha).toMatch(/^[0-9a-f]{40}$/);
    const empty = mkdtempSync(join(tmpdir(), "evalgate-gitinfo-"));
    dirs.push(empty);
    expect(gitInfo(empty, {})).toEqual({ sha: null, branch: null });
  });

  it("takes GitHub's variables over the checkout, and runs no git when they name both", () => {
    const dir = repo();
    expect(gitInfo(dir, { GITHUB_SHA: "abc123", GITHUB_HEAD_REF: "pr-branch" })).toEqual({ sha: "abc123", branch: "pr-branch" });
    expect(gitInfo(dir, { GITHUB_REF_NAME: "main" }).branch).toBe("main");
    expect(gitInfo(dir, { GITHUB_REF_NAME: "main" }).sha).toMatch(/^[0-9a-f]{40}$/);
    spawned.git = 0;
    expect(gitInfo(dir, { GITHUB_SHA: "abc123", GITHUB_REF_NAME: "main" })).toEqual({ sha: "abc123", branch: "main" });
    expect(spawned.git).toBe(0);
  });
});
