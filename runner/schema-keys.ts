import type { z } from "zod";

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The keys an object schema allows at `path` (the path of a zod issue), for naming the key a typo
 * meant: through optional, default and nullable wrappers, records, arrays, unions and pipes.
 */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const found = new Set<string>();
  const visit = (node: z.ZodType, at: number): void => {
    const def = defOf(node);
    if (def.innerType) return visit(def.innerType, at);
    if (def.type === "pipe" && def.in) return visit(def.in, at);
    if (def.type === "union") return def.options?.forEach((option) => visit(option, at));
    if (at === path.length) {
      if (def.type === "object" && def.shape) for (const key of Object.keys(def.shape)) found.add(key);
      return;
    }
    const step = path[at];
    if (def.type === "object" && def.shape && typeof step === "string" && def.shape[step]) return visit(def.shape[step], at + 1);
    if (def.type === "record" && def.valueType) return visit(def.valueType, at + 1);
    if (def.type === "array" && def.element && typeof step === "number") return visit(def.element, at + 1);
  };
  visit(schema, 0);
  return [...found];
}
