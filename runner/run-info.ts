import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

export function gitInfo(cwd: string, env: NodeJS.ProcessEnv): { sha: string | null; branch: string | null } {
  // On a pull request GitHub checks out a detached merge commit; its own variables name the branch.
  const namedBranch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || null;
  const namedSha = env.GITHUB_SHA || null;
  // One git process for both (a spawn is a few milliseconds of every run's start-up); none on CI.
  const [sha = null, branch = null] = namedSha && namedBranch ? [] : gitLines(cwd, "rev-parse", "HEAD", "--abbrev-ref", "HEAD");
  const name = namedBranch ?? branch;
  return { sha: namedSha ?? sha, branch: name === "HEAD" ? null : name };
}

/** git's output lines, or none when git is missing, this is no repository, or it has no commit yet. */
function gitLines(cwd: string, ...args: string[]): string[] {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n").map((l) => l.trim()).filter(Boolean);
  } catch {
    return [];
  }
}

export function evalgateVersion(): string {
  // runner/ from source, dist/runner/ from the package: the nearest package.json up the tree.
  const here = new URL(".", import.meta.url);
  const file = [new URL("../package.json", here), new URL("../../package.json", here)].find((u) => existsSync(u))!;
  const pkg = JSON.parse(readFileSync(file, "utf8")) as { version: string };
  return pkg.version;
}
