import type { StructuredToolInterface } from "@langchain/core/tools";
import { requireEsm } from "./lazy-module.ts";

/**
 * LangChain tools whose bodies are replaced by a dispatcher call: same name, description and
 * schema (so `bindTools` sends the model exactly what production sends), results from wherever the
 * dispatcher gets them — the example's recorded `tools` in a run, a script in a unit test.
 */
export function wrapTools(tools: readonly StructuredToolInterface[], call: (tool: string, args: Record<string, unknown>) => Promise<string>): StructuredToolInterface[] {
  // Loaded on first use (an agent with tools to wrap has loaded it already): @langchain/core/tools
  // and the LangSmith client it imports are ~250 modules that a run without them should not load.
  const langchainTool = requireEsm<typeof import("@langchain/core/tools")>("@langchain/core/tools").tool;
  return tools.map((original) =>
    langchainTool((args: unknown) => call(original.name, (args ?? {}) as Record<string, unknown>), {
      name: original.name,
      description: original.description,
      schema: original.schema as never,
    }),
  );
}
