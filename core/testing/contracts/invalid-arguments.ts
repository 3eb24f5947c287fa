import type { JsonSchema } from "../../contracts/model.ts";

const wrongValueByType: Record<string, unknown> = {
  string: 12345,
  number: "not a number",
  integer: "not a number",
  boolean: "not a boolean",
  array: "not an array",
  object: "not an object",
};

/**
 * Arguments that a tool's input schema must reject: every required property left out, or, when none
 * is required, the first property with a declared type given a value of another type. Undefined when
 * the schema accepts anything this can build (no required and no typed properties).
 */
export function invalidArgumentsFor(schema: JsonSchema): Record<string, unknown> | undefined {
  const required = Array.isArray(schema.required) ? schema.required : [];
  if (required.length > 0) return {};
  const properties = isRecord(schema.properties) ? schema.properties : {};
  for (const [name, property] of Object.entries(properties)) {
    const type = isRecord(property) ? property.type : undefined;
    if (typeof type === "string" && type in wrongValueByType) return { [name]: wrongValueByType[type] };
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
