/** The package managers whose "eval" script evalgate knows how to name. */
export type PackageManagerName = "pnpm" | "npm" | "yarn" | "bun";

/** Which package manager runs this process, and its major version, from npm_config_user_agent ("pnpm/10.34.9 npm/? node/…"). */
export function runningPackageManager(env: NodeJS.ProcessEnv): { name: PackageManagerName; major: string } | null {
  const match = /^(pnpm|npm|yarn|bun)\/(\d+)\./.exec(env.npm_config_user_agent ?? "");
  return match ? { name: match[1] as PackageManagerName, major: match[2]! } : null;
}

/**
 * The project's "eval" script run through `name`; `withArgs`: followed by the script's own
 * arguments, which npm takes only after `--` (pnpm, yarn and bun pass them on as they are).
 */
export function evalScript(name: PackageManagerName, withArgs = true): string {
  if (name === "npm") return withArgs ? "npm run eval --" : "npm run eval";
  return name === "bun" ? "bun run eval" : `${name} eval`;
}
