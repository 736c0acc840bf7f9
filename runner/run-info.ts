import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

export function gitInfo(cwd: string, env: NodeJS.ProcessEnv): { sha: string | null; branch: string | null } {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
    } catch {
      return null;
    }
  };
  // On a pull request GitHub checks out a detached merge commit; its own variables name the branch.
  const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || git("rev-parse", "--abbrev-ref", "HEAD");
  return { sha: env.GITHUB_SHA || git("rev-parse", "HEAD"), branch: branch === "HEAD" ? null : branch };
}

export function evalgateVersion(): string {
  // runner/ from source, dist/runner/ from the package: the nearest package.json up the tree.
  const here = new URL(".", import.meta.url);
  const file = [new URL("../package.json", here), new URL("../../package.json", here)].find((u) => existsSync(u))!;
  const pkg = JSON.parse(readFileSync(file, "utf8")) as { version: string };
  return pkg.version;
}
