import { z } from "zod";
import { ToolError, plugin, tool } from "realtime-agent";
import { getJson, hostOf, networkConfigSchema } from "../shared/http-json.ts";
import { reconcileSearchCall } from "./reconcile-search-call.ts";

/**
 * Web search through the Brave Search API (BRAVE_API_KEY), or a SearXNG instance's JSON API as the
 * keyless alternative (RTA_SEARXNG_URL). With neither, the tool says it is not configured.
 */
export const webSearchConfigSchema = networkConfigSchema.extend({
  braveApiKey: z.string().min(1).optional(),
  braveUrl: z.string().url().default("https://api.search.brave.com/res/v1/web/search"),
  searxngUrl: z.string().url().optional(),
  maxResults: z.number().int().min(1).max(20).default(5),
});
export type WebSearchConfig = z.infer<typeof webSearchConfigSchema>;

const braveSchema = z.object({
  web: z
    .object({
      results: z.array(
        z.object({
          title: z.string(),
          url: z.string(),
          description: z.string().optional(),
          age: z.string().optional(),
        }),
      ),
    })
    .optional(),
});
const searxngSchema = z.object({
  results: z.array(
    z.object({
      title: z.string(),
      url: z.string(),
      content: z.string().optional(),
      engine: z.string().optional(),
      publishedDate: z.string().nullish(),
    }),
  ),
});

export function webSearchTool(config: WebSearchConfig) {
  const hosts = [hostOf(config.braveUrl), ...(config.searxngUrl ? [hostOf(config.searxngUrl)] : [])];
  return tool({
    name: "web_search",
    description: "Search the web and return the top results with title, URL and snippet.",
    inputSchema: z.object({
      query: z.string().min(1).max(400).describe("What to search for"),
      count: z.number().int().min(1).max(20).optional(),
    }),
    timeoutMs: config.timeoutMs,
    cacheTtlMs: 10 * 60 * 1000,
    idempotent: true,
    networkHosts: hosts,
    service: config.braveApiKey ? "Brave Search" : config.searxngUrl ? "SearXNG" : "Web search (not configured)",
    examples: [
      { request: "Search the web for the latest Node.js release", arguments: { query: "latest Node.js release" } },
      { request: "Who won the last Champions League final?", arguments: { query: "Champions League final winner" } },
      { request: "Find news about the latest SpaceX launch", arguments: { query: "latest SpaceX launch news" } },
      { request: "Look up reviews of the new iPhone", arguments: { query: "new iPhone reviews" } },
      { request: "What are the opening hours of the Louvre?", arguments: { query: "Louvre opening hours" } },
      {
        request: "Who is the current prime minister of Japan?",
        arguments: { query: "current prime minister of Japan" },
      },
      {
        request: "Busca en internet las últimas noticias sobre inteligencia artificial",
        arguments: { query: "últimas noticias inteligencia artificial" },
      },
      { request: "¿Quién ganó el último mundial de fútbol?", arguments: { query: "ganador último mundial de fútbol" } },
      { request: "Busca el horario del Museo del Prado", arguments: { query: "horario Museo del Prado" } },
      { request: "Encuentra reseñas del nuevo Samsung Galaxy", arguments: { query: "reseñas nuevo Samsung Galaxy" } },
      { request: "¿Cuál es el precio actual del bitcoin?", arguments: { query: "precio actual bitcoin" } },
      { request: "Noticias de hoy sobre la economía española", arguments: { query: "noticias economía española hoy" } },
      { request: "Who is the current CEO of Microsoft?", arguments: { query: "current CEO of Microsoft" } },
      { request: "Look up the population of Canada", arguments: { query: "population of Canada" } },
      { request: "Who won the Oscar for best picture this year?", arguments: { query: "Oscar best picture winner" } },
      {
        request: "What concerts are on in London this weekend?",
        arguments: { query: "concerts in London this weekend" },
      },
      {
        request: "¿Quién es el actual primer ministro de Italia?",
        arguments: { query: "actual primer ministro de Italia" },
      },
      { request: "Busca la población de Perú", arguments: { query: "población de Perú" } },
      { request: "¿Quién ganó el Premio Planeta este año?", arguments: { query: "ganador Premio Planeta este año" } },
      { request: "Busca las últimas noticias del FC Barcelona", arguments: { query: "últimas noticias FC Barcelona" } },
      {
        request: "¿Qué exposiciones hay en Valencia este mes?",
        arguments: { query: "exposiciones en Valencia este mes" },
      },
      { request: "Busca opiniones sobre la serie The Crown", arguments: { query: "opiniones serie The Crown" } },
    ],
    reconcile: reconcileSearchCall,
    async execute({ query, count }, { fetch }) {
      const limit = count ?? config.maxResults;
      if (config.braveApiKey) {
        const url = new URL(config.braveUrl);
        url.search = new URLSearchParams({ q: query, count: String(limit) }).toString();
        const body = await getJson(url, {
          fetch,
          allowPrivate: config.allowPrivate,
          schema: braveSchema,
          headers: { "x-subscription-token": config.braveApiKey },
          service: "Brave Search",
          timeoutMs: config.timeoutMs,
        });
        return {
          query,
          engine: "brave",
          results: (body.web?.results ?? [])
            .slice(0, limit)
            .map((result) => ({ title: result.title, url: result.url, snippet: result.description ?? "" })),
        };
      }
      if (config.searxngUrl) {
        const url = new URL("search", config.searxngUrl.endsWith("/") ? config.searxngUrl : `${config.searxngUrl}/`);
        url.search = new URLSearchParams({ q: query, format: "json" }).toString();
        const body = await getJson(url, {
          fetch,
          allowPrivate: config.allowPrivate,
          schema: searxngSchema,
          service: "SearXNG",
          timeoutMs: config.timeoutMs,
        });
        return {
          query,
          engine: "searxng",
          results: body.results
            .slice(0, limit)
            .map((result) => ({ title: result.title, url: result.url, snippet: result.content ?? "" })),
        };
      }
      throw new ToolError(
        "TOOL_NOT_CONFIGURED",
        "web_search is not configured: set BRAVE_API_KEY for Brave Search, or RTA_SEARXNG_URL for a SearXNG instance.",
      );
    },
  });
}

export const webSearchPlugin = plugin({
  name: "web-search",
  version: "1.0.0",
  configSchema: webSearchConfigSchema,
  tools: (config) => [webSearchTool(config)],
});
