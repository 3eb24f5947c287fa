import { z } from "zod";
import { PluginError } from "../contracts/errors.ts";
import type { JsonSchema, ToolDefinition } from "../contracts/model.ts";
import type { Plugin, Tool } from "../contracts/tool.ts";

const toolNamePattern = /^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/;
const pluginVersionPattern = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

export interface RegisteredTool {
  tool: Tool;
  pluginName: string;
  pluginVersion: string;
  definition: ToolDefinition;
}

/** Holds tools by name. Validates each plugin when it is registered and fails fast with a PluginError. */
export class ToolRegistry {
  readonly #tools = new Map<string, RegisteredTool>();
  readonly #plugins = new Map<string, { plugin: Plugin; config: unknown }>();
  #definitions: readonly ToolDefinition[] | undefined;

  /** Validates the plugin (and its config, when it declares a schema), then adds its tools. */
  register<Config>(plugin: Plugin<Config>, config?: unknown): this {
    validatePluginMetadata(plugin);
    if (this.#plugins.has(plugin.name)) {
      throw new PluginError("PLUGIN_DUPLICATE", `Plugin "${plugin.name}" is already registered.`);
    }
    let parsedConfig: Config = config as Config;
    if (plugin.configSchema) {
      const parsed = plugin.configSchema.safeParse(config ?? {});
      if (!parsed.success) {
        const problems = parsed.error.issues
          .map((issue) => `${issue.path.join(".") || "(config)"}: ${issue.message}`)
          .join("; ");
        throw new PluginError(
          "PLUGIN_CONFIG_INVALID",
          `Plugin "${plugin.name}" is not configured correctly: ${problems}`,
        );
      }
      parsedConfig = parsed.data;
    }
    let tools: readonly Tool[];
    try {
      tools = typeof plugin.tools === "function" ? plugin.tools(parsedConfig) : plugin.tools;
    } catch (error) {
      if (error instanceof PluginError) throw error;
      throw new PluginError(
        "PLUGIN_INVALID",
        `Plugin "${plugin.name}" could not build its tools: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`,
        { cause: error },
      );
    }
    if (!Array.isArray(tools) || tools.length === 0) {
      throw new PluginError("PLUGIN_INVALID", `Plugin "${plugin.name}" declares no tools.`);
    }
    const entries = tools.map((tool) => ({
      tool,
      pluginName: plugin.name,
      pluginVersion: plugin.version,
      definition: toToolDefinition(tool),
    }));
    const seen = new Set<string>();
    for (const entry of entries) {
      const name = entry.tool.name;
      if (this.#tools.has(name) || seen.has(name)) {
        const owner = this.#tools.get(name)?.pluginName ?? plugin.name;
        throw new PluginError(
          "PLUGIN_DUPLICATE_TOOL",
          `Tool "${name}" from plugin "${plugin.name}" is already registered by plugin "${owner}".`,
        );
      }
      seen.add(name);
    }
    for (const entry of entries) this.#tools.set(entry.tool.name, entry);
    this.#definitions = undefined;
    this.#plugins.set(plugin.name, { plugin, config: parsedConfig });
    return this;
  }

  /** Runs every plugin's init with its config (connections, warm caches). */
  async init(): Promise<void> {
    for (const { plugin, config } of this.#plugins.values()) await plugin.init?.(config);
  }

  get(name: string): RegisteredTool | undefined {
    return this.#tools.get(name);
  }

  list(): RegisteredTool[] {
    return [...this.#tools.values()];
  }

  /** What models see of every tool; the same array until the next registration (routers cache by it). */
  definitions(): readonly ToolDefinition[] {
    this.#definitions ??= this.list().map((entry) => entry.definition);
    return this.#definitions;
  }

  plugins(): Plugin[] {
    return [...this.#plugins.values()].map((entry) => entry.plugin);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.plugins().map(async (plugin) => plugin.close?.()));
  }
}

// biome-ignore lint/suspicious/noExplicitAny: each definition is typed by its own schema
function validatePluginMetadata(plugin: Plugin<any>): void {
  if (typeof plugin.name !== "string" || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(plugin.name)) {
    throw new PluginError(
      "PLUGIN_INVALID",
      `Plugin name ${JSON.stringify(plugin.name)} must be kebab-case (a-z, 0-9, -).`,
    );
  }
  if (typeof plugin.version !== "string" || !pluginVersionPattern.test(plugin.version)) {
    throw new PluginError(
      "PLUGIN_INVALID",
      `Plugin "${plugin.name}" has version ${JSON.stringify(plugin.version)}; expected semver like 1.2.3.`,
    );
  }
  if (typeof plugin.tools !== "function" && (!Array.isArray(plugin.tools) || plugin.tools.length === 0)) {
    throw new PluginError("PLUGIN_INVALID", `Plugin "${plugin.name}" declares no tools.`);
  }
}

/** Checks one tool and derives what a model sees of it (its input schema as JSON Schema). */
export function toToolDefinition(tool: Tool): ToolDefinition {
  const where = `Tool ${JSON.stringify(tool?.name)}`;
  if (typeof tool.name !== "string" || !toolNamePattern.test(tool.name)) {
    throw new PluginError("PLUGIN_INVALID", `${where}: the name must match ${toolNamePattern}.`);
  }
  if (typeof tool.description !== "string" || tool.description.trim().length === 0) {
    throw new PluginError("PLUGIN_INVALID", `${where}: a description is required; models choose tools by it.`);
  }
  if (typeof tool.execute !== "function") {
    throw new PluginError("PLUGIN_INVALID", `${where}: execute must be a function.`);
  }
  if (!(tool.inputSchema instanceof z.ZodType)) {
    throw new PluginError("PLUGIN_INVALID", `${where}: inputSchema must be a zod schema.`);
  }
  for (const [field, value] of [
    ["timeoutMs", tool.timeoutMs],
    ["cacheTtlMs", tool.cacheTtlMs],
  ] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new PluginError("PLUGIN_INVALID", `${where}: ${field} must be a non-negative number.`);
    }
  }
  if (
    tool.networkHosts !== undefined &&
    (!Array.isArray(tool.networkHosts) || !tool.networkHosts.every((host) => typeof host === "string" && host !== ""))
  ) {
    throw new PluginError("PLUGIN_INVALID", `${where}: networkHosts must be a list of host names.`);
  }
  let inputSchema: JsonSchema;
  if (tool.inputJsonSchema !== undefined) {
    if (
      typeof tool.inputJsonSchema !== "object" ||
      tool.inputJsonSchema === null ||
      Array.isArray(tool.inputJsonSchema)
    ) {
      throw new PluginError("PLUGIN_INVALID", `${where}: inputJsonSchema must be a JSON Schema object.`);
    }
    inputSchema = structuredClone(tool.inputJsonSchema);
  } else {
    try {
      inputSchema = z.toJSONSchema(tool.inputSchema, { target: "draft-7", io: "input" }) as JsonSchema;
    } catch (error) {
      throw new PluginError("PLUGIN_INVALID", `${where}: its input schema cannot be expressed as JSON Schema.`, {
        cause: error,
      });
    }
  }
  // "dict" is the BFCL datasets' spelling of "object"; models are shown the schema as it was given.
  if (inputSchema.type !== "object" && inputSchema.type !== "dict") {
    throw new PluginError(
      "PLUGIN_INVALID",
      `${where}: the input schema must describe an object (got ${String(inputSchema.type)}).`,
    );
  }
  delete inputSchema.$schema;
  for (const example of tool.examples ?? []) {
    const parsed = tool.inputSchema.safeParse(example.arguments);
    if (!parsed.success) {
      throw new PluginError(
        "PLUGIN_INVALID",
        `${where}: example ${JSON.stringify(example.request)} does not match the input schema.`,
      );
    }
  }
  return {
    name: tool.name,
    description: tool.description,
    inputSchema,
    ...(tool.examples ? { examples: tool.examples } : {}),
  };
}
