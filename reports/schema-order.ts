import type { z } from "zod";

type Project = (value: unknown) => unknown;

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

const same: Project = (value) => value;

/**
 * A copy of a value already known to fit `schema`, with only the keys the schema names, in the
 * schema's order: the text `JSON.stringify(schema.parse(value))` would give, without checking any
 * type. For rows evalgate built itself (from validated datasets and recordings) and writes by the
 * thousand: parsing each one again cost a quarter of report.json's time. Parts the walk cannot
 * order without validating (unions of objects, transforms) are parsed.
 */
export function schemaOrder(schema: z.ZodType): Project {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  switch (def.type) {
    case "object": {
      const fields = Object.entries(def.shape!).map(([key, field]) => [key, schemaOrder(field)] as const);
      const rest = def.catchall && (def.catchall as unknown as { _zod: { def: Def } })._zod.def.type !== "never" ? schemaOrder(def.catchall) : null;
      return (value) => {
        if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
        const from = value as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const [key, project] of fields) if (from[key] !== undefined) out[key] = project(from[key]);
        if (rest) for (const key of Object.keys(from)) if (!(key in out) && !(fields.some(([k]) => k === key))) out[key] = rest(from[key]);
        return out;
      };
    }
    case "array": {
      const project = schemaOrder(def.element!);
      return project === same ? same : (value) => (Array.isArray(value) ? value.map(project) : value);
    }
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
      return schemaOrder(def.innerType!);
    case "record": {
      const project = schemaOrder(def.valueType!);
      if (project === same) return same;
      return (value) => {
        if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) out[key] = project(item);
        return out;
      };
    }
    case "union":
      return def.options!.every((option) => schemaOrder(option) === same) ? same : (value) => schema.parse(value);
    case "pipe":
    case "transform":
    case "lazy":
    case "intersection":
    case "tuple":
      return (value) => schema.parse(value);
    default:
      // Strings, numbers, booleans, enums, literals, unknown: written as they are.
      return same;
  }
}
