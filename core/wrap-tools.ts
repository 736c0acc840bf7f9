import { tool as langchainTool, type StructuredToolInterface } from "@langchain/core/tools";

/**
 * LangChain tools whose bodies are replaced by a dispatcher call: same name, description and
 * schema (so `bindTools` sends the model exactly what production sends), results from wherever the
 * dispatcher gets them — the example's recorded `tools` in a run, a script in a unit test.
 */
export function wrapTools(tools: readonly StructuredToolInterface[], call: (tool: string, args: Record<string, unknown>) => Promise<string>): StructuredToolInterface[] {
  return tools.map((original) =>
    langchainTool((args: unknown) => call(original.name, (args ?? {}) as Record<string, unknown>), {
      name: original.name,
      description: original.description,
      schema: original.schema as never,
    }),
  );
}
