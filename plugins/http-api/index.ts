import { readFileSync } from "node:fs";
import { z } from "zod";
import { plugin } from "realtime-agent";
import { networkConfigSchema } from "../shared/http-json.ts";
import { openApiDocumentSchema, toolsFromOpenApi } from "./openapi-tools.ts";

/**
 * Custom HTTP APIs: an OpenAPI 3 document (inline or a JSON file) becomes one tool per operation.
 * Credentials come from config (`headers`), never from the document.
 */
export const httpApiConfigSchema = networkConfigSchema
  .extend({
    spec: z.unknown().optional(),
    specFile: z.string().optional(),
    baseUrl: z.string().url().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    prefix: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/)
      .optional(),
  })
  .refine((config) => config.spec !== undefined || config.specFile !== undefined, {
    message: "give spec (an OpenAPI 3 document) or specFile",
  });

export const httpApiPlugin = plugin({
  name: "http-api",
  version: "1.0.0",
  configSchema: httpApiConfigSchema,
  tools: (config) => {
    const raw = config.spec ?? JSON.parse(readFileSync(config.specFile!, "utf8"));
    const document = openApiDocumentSchema.parse(raw);
    return toolsFromOpenApi({
      document,
      headers: config.headers,
      allowPrivate: config.allowPrivate,
      timeoutMs: config.timeoutMs,
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
      ...(config.prefix ? { prefix: config.prefix } : {}),
    });
  },
});
