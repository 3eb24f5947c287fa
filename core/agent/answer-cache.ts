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

/** How refusals open, in the languages the agent answers in: the model's own "I can't help with that". */
const refusalOpening =
  /^\s*(?:(?:i'?m |i am )?sorry|i apologi[sz]e|i (?:cannot|can't|can not|won't|will not|am unable|'m unable)|as an ai|unfortunately,? i|lo siento|lo lamento|no puedo|lamentablemente,? no|desolé|je ne peux pas|es tut mir leid|ich kann nicht|desculpe|não posso|mi dispiace|non posso)\b/i;

/** Whether an answer is a refusal (the model's own, not the guard's): never worth serving to someone else. */
export function looksLikeRefusal(text: string): boolean {
  return refusalOpening.test(text);
}
