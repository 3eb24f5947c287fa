import { z } from "zod";
import { type JsonSchema, PluginError, ToolError, tool, type Tool } from "realtime-agent";

const methods = ["get", "post", "put", "patch", "delete"] as const;
type Method = (typeof methods)[number];

const parameterSchema = z.object({
  name: z.string(),
  in: z.enum(["path", "query", "header", "cookie"]),
  description: z.string().optional(),
  required: z.boolean().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
});
const operationSchema = z.object({
  operationId: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  parameters: z.array(z.union([parameterSchema, z.object({ $ref: z.string() })])).optional(),
  requestBody: z
    .object({
      required: z.boolean().optional(),
      content: z.record(z.string(), z.object({ schema: z.record(z.string(), z.unknown()).optional() })),
    })
    .optional(),
});
export const openApiDocumentSchema = z.object({
  openapi: z.string().regex(/^3\./, "an OpenAPI 3 document"),
  info: z.object({ title: z.string(), version: z.string() }),
  servers: z.array(z.object({ url: z.string() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z
    .object({
      parameters: z.record(z.string(), parameterSchema).optional(),
      schemas: z.record(z.string(), z.unknown()).optional(),
    })
    .passthrough()
    .optional(),
});
export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;

export interface OpenApiToolOptions {
  document: OpenApiDocument;
  /** Overrides servers[0].url. */
  baseUrl?: string;
  /** Sent with every request, e.g. { authorization: "Bearer ..." } (from config or secrets, never the spec). */
  headers?: Record<string, string>;
  allowPrivate: readonly string[];
  timeoutMs: number;
  /** Prefix for tool names, so two APIs can share an operationId (default none). */
  prefix?: string;
}

/** Resolves local `#/components/...` references so models and validators see whole schemas. */
function resolveReferences(value: unknown, document: OpenApiDocument, depth = 0): unknown {
  if (depth > 20) return {};
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, document, depth + 1));
  if (typeof value !== "object" || value === null) return value;
  const reference = (value as { $ref?: unknown }).$ref;
  if (typeof reference === "string" && reference.startsWith("#/")) {
    const target = reference
      .slice(2)
      .split("/")
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
    return resolveReferences(target ?? {}, document, depth + 1);
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, resolveReferences(item, document, depth + 1)]),
  );
}

function toolNameOf(method: Method, path: string, operationId: string | undefined, prefix = ""): string {
  const base = operationId ?? `${method}_${path.replace(/\{([^}]+)\}/g, "by_$1")}`;
  return (
    `${prefix}${base}`
      .replace(/[^a-zA-Z0-9_.-]+/g, "_")
      .replace(/^[^a-zA-Z]+/, "")
      .slice(0, 64) || "operation"
  );
}

/** One tool per OpenAPI operation: parameters and JSON body become the tool's input schema. */
export function toolsFromOpenApi(options: OpenApiToolOptions): Tool[] {
  const { document } = options;
  const baseUrl = options.baseUrl ?? document.servers?.[0]?.url;
  if (!baseUrl)
    throw new PluginError(
      "PLUGIN_CONFIG_INVALID",
      `${document.info.title}: the document has no servers[0].url and no baseUrl was configured.`,
    );
  const host = new URL(baseUrl).hostname;
  const tools: Tool[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of methods) {
      const rawOperation = item[method];
      if (!rawOperation) continue;
      const operation = operationSchema.parse(resolveReferences(rawOperation, document));
      const parameters = [
        ...((resolveReferences(item.parameters ?? [], document) as unknown[]) ?? []),
        ...(operation.parameters ?? []),
      ]
        .map((parameter) => parameterSchema.parse(parameter))
        .filter((parameter) => parameter.in !== "cookie");
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const parameter of parameters) {
        properties[parameter.name] = {
          ...(parameter.schema ?? { type: "string" }),
          ...(parameter.description ? { description: parameter.description } : {}),
        };
        if (parameter.required || parameter.in === "path") required.push(parameter.name);
      }
      const bodySchema = operation.requestBody?.content["application/json"]?.schema;
      if (bodySchema) {
        properties.body = { ...bodySchema, description: "The JSON request body" };
        if (operation.requestBody?.required) required.push("body");
      }
      const inputJsonSchema: JsonSchema = { type: "object", properties, ...(required.length ? { required } : {}) };
      let validator: z.ZodType<Record<string, unknown>>;
      try {
        validator = z.fromJSONSchema(inputJsonSchema as never) as z.ZodType<Record<string, unknown>>;
      } catch {
        validator = z.record(z.string(), z.unknown());
      }
      const name = toolNameOf(method, path, operation.operationId, options.prefix);
      tools.push(
        tool({
          name,
          description:
            (operation.summary ?? operation.description ?? `${method.toUpperCase()} ${path}`).slice(0, 500) +
            ` (${document.info.title})`,
          inputSchema: validator,
          inputJsonSchema,
          timeoutMs: options.timeoutMs,
          cacheTtlMs: 0,
          idempotent: method === "get",
          networkHosts: [host],
          async execute(input, { fetch }) {
            let resolvedPath = path;
            const url = new URL(baseUrl.replace(/\/$/, "") + path);
            const headers: Record<string, string> = { ...options.headers };
            for (const parameter of parameters) {
              const value = input[parameter.name];
              if (value === undefined) continue;
              const text = typeof value === "string" ? value : JSON.stringify(value);
              if (parameter.in === "path") {
                // "." and ".." would climb out of the templated path (with the configured credentials).
                if (text === "." || text === ".." || text === "")
                  throw new ToolError("TOOL_INVALID_INPUT", `Path parameter ${parameter.name} may not be "${text}".`);
                resolvedPath = resolvedPath.replace(`{${parameter.name}}`, () => encodeURIComponent(text));
              } else if (parameter.in === "query") url.searchParams.set(parameter.name, text);
              else if (parameter.in === "header") headers[parameter.name.toLowerCase()] = text;
            }
            url.pathname = new URL(baseUrl.replace(/\/$/, "") + resolvedPath).pathname;
            const basePath = new URL(baseUrl).pathname.replace(/\/$/, "");
            if (!url.pathname.startsWith(`${basePath}/`) && url.pathname !== basePath)
              throw new ToolError(
                "TOOL_INVALID_INPUT",
                `The request's path ${url.pathname} is outside ${basePath || "/"}.`,
              );
            const hasBody = input.body !== undefined;
            const response = await fetch(url.toString(), {
              allowPrivate: options.allowPrivate,
              method: method.toUpperCase() as "GET",
              headers: { ...headers, ...(hasBody ? { "content-type": "application/json" } : {}) },
              ...(hasBody ? { body: JSON.stringify(input.body) } : {}),
              timeoutMs: options.timeoutMs,
            });
            let body: unknown = response.text;
            try {
              body = JSON.parse(response.text);
            } catch {
              /* not JSON: keep the text */
            }
            if (response.status >= 400) {
              throw new ToolError(
                response.status >= 500 || response.status === 429 ? "TOOL_UNAVAILABLE" : "TOOL_FAILED",
                `${name} answered HTTP ${response.status}: ${typeof body === "string" ? body.slice(0, 300) : JSON.stringify(body).slice(0, 300)}`,
              );
            }
            return { status: response.status, body };
          },
        }),
      );
    }
  }
  return tools;
}
