import type { CacheScope } from "../cache/semantic-cache.ts";
import type { ToolRegistry } from "../tools/registry.ts";

/** What a cached answer depends on (see CacheScope): owner, the tools offered and their versions, model, language. */
export function cacheScopeOf(
  owner: string | undefined,
  tools: ToolRegistry,
  model: string,
  language: string | undefined,
): CacheScope {
  return {
    owner: owner ?? "local",
    tools: tools
      .list()
      .map((entry) => `${entry.tool.name}@${entry.pluginVersion}`)
      .sort()
      .join(","),
    model,
    language: language ?? "unknown",
  };
}

/**
 * How long an answer may be served from the cache: the shortest cache TTL of the tools it used
 * (weather, rates and search results age fast), the cache's own default when it used none; undefined
 * when a tool it used declares no TTL (its results must not be reused).
 */
export function cacheTtlOf(toolsUsed: readonly string[], tools: ToolRegistry): number | undefined | "default" {
  if (toolsUsed.length === 0) return "default";
  let shortest = Number.POSITIVE_INFINITY;
  for (const name of toolsUsed) {
    const ttl = tools.get(name)?.tool.cacheTtlMs;
    if (ttl === undefined) return undefined;
    shortest = Math.min(shortest, ttl);
  }
  return shortest;
}
