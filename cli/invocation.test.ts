import { describe, expect, it } from "vitest";
import { howInvoked } from "./invocation.ts";

describe("howInvoked", () => {
  it("names the package manager that ran the eval script, so an npm project is told npm's commands", () => {
    const script = "/p/node_modules/evalgate/dist/cli/bin.js";
    const viaScript = (agent: string) => howInvoked({ npm_lifecycle_event: "eval", npm_config_user_agent: agent }, script, "/p");
    expect(viaScript("npm/11.6.0 node/v22.23.3 linux x64 workspaces/false")).toBe("npm run eval --");
    expect(viaScript("pnpm/10.34.9 npm/? node/v22.23.3 linux x64")).toBe("pnpm eval");
    expect(viaScript("yarn/4.5.0 npm/? node/v22.23.3 linux x64")).toBe("yarn eval");
    expect(viaScript("bun/1.2.0 npm/? node/v22.23.3 linux x64")).toBe("bun run eval");
    expect(viaScript("")).toBe("pnpm eval");
  });

  it("the installed bin is npx evalgate; this checkout's file is node <path>", () => {
    expect(howInvoked({}, "/p/node_modules/.bin/evalgate", "/p")).toBe("npx evalgate");
    expect(howInvoked({ npm_lifecycle_event: "test" }, "/repo/cli/bin.ts", "/repo")).toBe("node cli/bin.ts");
  });
});
