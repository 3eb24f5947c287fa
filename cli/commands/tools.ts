import { parseArgs } from "node:util";
import { builtInTools, loadExternalPlugins } from "realtime-agent/runtime";

export const toolsUsage = `rta tools [--json]   every registered tool: plugin, description, input JSON Schema, timeout, cache TTL, hosts`;

export async function toolsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" } } });
  const registry = builtInTools(process.env);
  await loadExternalPlugins(registry, process.env);
  const tools = registry.list().map((entry) => ({
    name: entry.tool.name,
    plugin: entry.pluginName,
    description: entry.tool.description,
    input_schema: entry.definition.inputSchema,
    timeout_ms: entry.tool.timeoutMs ?? 10_000,
    cache_ttl_ms: entry.tool.cacheTtlMs ?? 0,
    network_hosts: entry.tool.networkHosts ?? [],
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ tools }, null, 2)}\n`);
    return 0;
  }
  for (const tool of tools) {
    const parameters = Object.keys((tool.input_schema.properties ?? {}) as Record<string, unknown>).join(", ");
    process.stdout.write(
      `${tool.name} (${tool.plugin})  ${tool.description}\n    input: ${parameters || "none"} · timeout ${tool.timeout_ms} ms · cache ${tool.cache_ttl_ms} ms${tool.network_hosts.length ? ` · hosts ${tool.network_hosts.join(", ")}` : ""}\n`,
    );
  }
  return 0;
}
