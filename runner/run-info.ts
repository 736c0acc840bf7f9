import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

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

/**
 * A hash of each agent's source folder (prompts live there), so a review can tell which graphs'
 * prompts or code changed between two runs without diffing recordings.
 */
export function promptHashes(agentFiles: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [graph, file] of agentFiles) {
    const dir = dirname(file);
    const hash = createHash("sha256");
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".ts") && !n.endsWith(".test.ts")).sort()) {
      hash.update(name).update("\0").update(readFileSync(join(dir, name))).update("\0");
    }
    out[graph] = hash.digest("hex").slice(0, 16);
  }
  return out;
}

export function evalgateVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
