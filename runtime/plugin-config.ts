import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { PluginError, type Plugin, ToolRegistry } from "realtime-agent";
import { calculatorPlugin } from "../plugins/calculator/index.ts";
import { currencyPlugin } from "../plugins/currency/index.ts";
import { httpApiPlugin } from "../plugins/http-api/index.ts";
import { marketPricePlugin } from "../plugins/market-price/index.ts";
import { createMcpPlugin, type McpConfig } from "../plugins/mcp/mcp-plugin.ts";
import { weatherPlugin } from "../plugins/weather/index.ts";
import { webSearchPlugin } from "../plugins/web-search/index.ts";
import { readSecret } from "./provider-config.ts";

/** The built-in plugins, configured from the environment (see README "Tools"). */
export function builtInTools(env: NodeJS.ProcessEnv): ToolRegistry {
  const allowPrivate = (env.RTA_TOOLS_ALLOW_PRIVATE ?? "")
    .split(",")
    .map((host) => host.trim())
    .filter(Boolean);
  const braveKey = readSecret(env, "BRAVE_API_KEY");
  const coinGeckoKey = readSecret(env, "COINGECKO_API_KEY");
  const alphaVantageKey = readSecret(env, "ALPHA_VANTAGE_API_KEY");
  const registry = new ToolRegistry()
    .register(calculatorPlugin)
    .register(currencyPlugin, { allowPrivate, ...(env.RTA_CURRENCY_URL ? { baseUrl: env.RTA_CURRENCY_URL } : {}) })
    .register(weatherPlugin, {
      allowPrivate,
      ...(env.RTA_WEATHER_GEOCODING_URL ? { geocodingUrl: env.RTA_WEATHER_GEOCODING_URL } : {}),
      ...(env.RTA_WEATHER_FORECAST_URL ? { forecastUrl: env.RTA_WEATHER_FORECAST_URL } : {}),
    })
    .register(webSearchPlugin, {
      allowPrivate,
      ...(braveKey ? { braveApiKey: braveKey.value } : {}),
      ...(env.RTA_SEARXNG_URL ? { searxngUrl: env.RTA_SEARXNG_URL } : {}),
    })
    .register(marketPricePlugin, {
      allowPrivate,
      ...(coinGeckoKey ? { coinGeckoApiKey: coinGeckoKey.value } : {}),
      ...(env.RTA_COINGECKO_URL ? { coinGeckoUrl: env.RTA_COINGECKO_URL } : {}),
      ...(alphaVantageKey ? { alphaVantageApiKey: alphaVantageKey.value } : {}),
      ...(env.RTA_ALPHA_VANTAGE_URL ? { alphaVantageUrl: env.RTA_ALPHA_VANTAGE_URL } : {}),
    });
  if (env.RTA_HTTP_API_SPEC_FILE) {
    const headers = env.RTA_HTTP_API_HEADERS_FILE
      ? z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(env.RTA_HTTP_API_HEADERS_FILE, "utf8")))
      : {};
    registry.register(httpApiPlugin, {
      specFile: env.RTA_HTTP_API_SPEC_FILE,
      headers,
      allowPrivate,
      ...(env.RTA_HTTP_API_BASE_URL ? { baseUrl: env.RTA_HTTP_API_BASE_URL } : {}),
    });
  }
  return registry;
}

const pluginShape = (value: unknown): value is Plugin =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Plugin).name === "string" &&
  typeof (value as Plugin).version === "string" &&
  "tools" in value;

/**
 * Plugins from outside the built-ins: every folder of RTA_PLUGINS_DIR with an index.ts/index.js, and
 * the npm packages named in RTA_PLUGINS (comma-separated). Each module's default export (or its first
 * export shaped like a plugin) is registered with its entry in the JSON file RTA_PLUGINS_CONFIG, if any.
 */
export async function loadExternalPlugins(registry: ToolRegistry, env: NodeJS.ProcessEnv): Promise<string[]> {
  const configs = env.RTA_PLUGINS_CONFIG
    ? z.record(z.string(), z.unknown()).parse(JSON.parse(readFileSync(env.RTA_PLUGINS_CONFIG, "utf8")))
    : {};
  const modules: string[] = [];
  if (env.RTA_PLUGINS_DIR) {
    const directory = resolve(env.RTA_PLUGINS_DIR);
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const file = ["index.ts", "index.js", "index.mjs"]
        .map((name) => join(directory, entry.name, name))
        .find(existsSync);
      if (file) modules.push(pathToFileURL(file).href);
    }
  }
  for (const name of (env.RTA_PLUGINS ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean))
    modules.push(name);
  const loaded: string[] = [];
  for (const specifier of modules) {
    let module: Record<string, unknown>;
    try {
      module = await import(specifier);
    } catch (error) {
      throw new PluginError(
        "PLUGIN_INVALID",
        `Could not load plugin ${specifier}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const candidate = pluginShape(module.default) ? module.default : Object.values(module).find(pluginShape);
    if (!candidate)
      throw new PluginError(
        "PLUGIN_INVALID",
        `${specifier} exports no plugin (an object with name, version and tools).`,
      );
    registry.register(candidate, configs[candidate.name]);
    loaded.push(candidate.name);
  }
  if (env.RTA_MCP_SERVERS_FILE) {
    const mcp = await createMcpPlugin(JSON.parse(readFileSync(env.RTA_MCP_SERVERS_FILE, "utf8")) as McpConfig);
    registry.register(mcp);
    loaded.push("mcp");
  }
  await registry.init();
  return loaded;
}
