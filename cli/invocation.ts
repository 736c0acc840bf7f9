import { relative } from "node:path";

/**
 * How the user ran evalgate, for the commands that hints, reports and --help print: the project's
 * "eval" script through the package manager that ran it (an npm project must not be told to type
 * pnpm), the installed bin, or this file.
 */
export function howInvoked(env: NodeJS.ProcessEnv, script: string, cwd: string): string {
  if (env.npm_lifecycle_event === "eval") {
    const runner = /^(\w+)\//.exec(env.npm_config_user_agent ?? "")?.[1];
    // npm needs `--` before the script's own arguments; pnpm, yarn and bun pass them on as they are.
    return runner === "npm" ? "npm run eval --" : runner === "yarn" ? "yarn eval" : runner === "bun" ? "bun run eval" : "pnpm eval";
  }
  return /node_modules[\\/]/.test(script) ? "npx evalgate" : `node ${relative(cwd, script)}`;
}
