import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { thrownAt } from "./thrown-at.ts";

const project = "/home/dev/shop";
const rel = (absolute: string) => relative(project, absolute);
const evalgateFile = join(import.meta.dirname, "run-example.ts");

describe("thrownAt", () => {
  it("names the innermost frame of the user's own code, relative to the project, whatever folder it is in", () => {
    const stack = [
      "TypeError: Cannot read properties of undefined (reading 'name')",
      `    at formatLead (${pathToFileURL(`${project}/src/lib/format.ts`).href}:7:22)`,
      `    at Object.run (${pathToFileURL(`${project}/evals/faq_bot.ts`).href}:14:11)`,
      `    at ${pathToFileURL(evalgateFile).href}:120:33`,
      "    at async Promise.all (index 0)",
    ].join("\n");
    expect(thrownAt(stack, rel)).toBe("src/lib/format.ts:7:22");
  });

  it("skips Node's, the packages' and evalgate's frames: an error raised inside LangChain points at the agent line that called it", () => {
    const stack = [
      "Error: 400 Bad Request",
      "    at APIError.generate (/home/dev/shop/node_modules/.pnpm/openai@7.57.0/node_modules/openai/core/error.mjs:41:20)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)",
      `    at Tracer.span (${evalgateFile}:40:12)`,
      "    at async run (/home/dev/shop/agents/lead_qualifier.ts:31:5)",
    ].join("\n");
    expect(thrownAt(stack, rel)).toBe("agents/lead_qualifier.ts:31:5");
  });

  it("drops a loader's query from the path (tsx loads user code as file.ts?namespace=…)", () => {
    const stack = `Error: x\n    at ${pathToFileURL(`${project}/agents/qa.ts`).href}?namespace=evalgate-user-code:3:9\n    at /home/dev/shop/agents/other.ts?tsx=1:1:1`;
    expect(thrownAt(stack, rel)).toBe("agents/qa.ts:3:9");
  });

  it("is null when no frame is the user's, or there is no stack", () => {
    expect(thrownAt("Error: x\n    at node:internal/timers:1:1\n    at /home/dev/shop/node_modules/zod/index.js:3:3", rel)).toBeNull();
    expect(thrownAt(undefined, rel)).toBeNull();
    expect(thrownAt("Error: only a message", rel)).toBeNull();
  });
});
