import { relative } from "node:path";
import { evalScript, runningPackageManager } from "./package-manager.ts";

/**
 * How the user ran evalgate, for the commands that hints, reports and --help print: the project's
 * "eval" script through the package manager that ran it (an npm project must not be told to type
 * pnpm), the installed bin, or this file.
 */
export function howInvoked(env: NodeJS.ProcessEnv, script: string, cwd: string): string {
  if (env.npm_lifecycle_event === "eval") return evalScript(runningPackageManager(env)?.name ?? "pnpm");
  return /node_modules[\\/]/.test(script) ? "npx evalgate" : `node ${relative(cwd, script)}`;
}
