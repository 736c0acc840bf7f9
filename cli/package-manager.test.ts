import { describe, expect, it } from "vitest";
import { evalScript, runningPackageManager } from "./package-manager.ts";

describe("package managers", () => {
  it("reads which one runs the process, and its major version, from npm_config_user_agent", () => {
    expect(runningPackageManager({ npm_config_user_agent: "pnpm/10.34.9 npm/? node/v22.23.3 linux x64" })).toEqual({ name: "pnpm", major: "10" });
    expect(runningPackageManager({ npm_config_user_agent: "npm/11.6.0 node/v22.23.3 linux x64 workspaces/false" })).toEqual({ name: "npm", major: "11" });
    expect(runningPackageManager({})).toBeNull();
  });

  it("names the eval script as each runs it, with npm's -- before arguments", () => {
    expect(["pnpm", "npm", "yarn", "bun"].map((name) => evalScript(name as "pnpm"))).toEqual(["pnpm eval", "npm run eval --", "yarn eval", "bun run eval"]);
    expect(evalScript("npm", false)).toBe("npm run eval");
  });
});
