import { describe, expect, it } from "vitest";
import { z } from "zod";
import { invalidArgumentsFor } from "./invalid-arguments.ts";

const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "draft-7", io: "input" });

describe("invalidArgumentsFor", () => {
  it("leaves out the required properties", () => {
    const schema = z.object({ city: z.string(), days: z.number().optional() });
    const invalid = invalidArgumentsFor(jsonSchemaOf(schema));
    expect(invalid).toEqual({});
    expect(schema.safeParse(invalid).success).toBe(false);
  });

  it("gives the first typed property a value of another type when nothing is required", () => {
    const schema = z.object({ limit: z.number().int().optional(), tag: z.string().optional() });
    const invalid = invalidArgumentsFor(jsonSchemaOf(schema));
    expect(invalid).toEqual({ limit: "not a number" });
    expect(schema.safeParse(invalid).success).toBe(false);
  });

  it("skips properties without a single declared type", () => {
    expect(
      invalidArgumentsFor({
        type: "object",
        properties: { anything: {}, either: { type: ["string", "null"] }, flag: { type: "boolean" } },
      }),
    ).toEqual({ flag: "not a boolean" });
  });

  it("gives up on a schema that accepts any object", () => {
    expect(invalidArgumentsFor({ type: "object" })).toBeUndefined();
    expect(invalidArgumentsFor({ type: "object", properties: { anything: {} } })).toBeUndefined();
  });
});
