import { ToolRegistry } from "../core/tools/registry.ts";
import { calculatorPlugin } from "../plugins/calculator/index.ts";
import { currencyPlugin } from "../plugins/currency/index.ts";
import { weatherPlugin } from "../plugins/weather/index.ts";
import { webSearchPlugin } from "../plugins/web-search/index.ts";
import { readSecret } from "./provider-config.ts";

/** The built-in plugins, configured from the environment (see README "Tools"). */
export function builtInTools(env: NodeJS.ProcessEnv): ToolRegistry {
  const allowPrivate = (env.RTA_TOOLS_ALLOW_PRIVATE ?? "").split(",").map((host) => host.trim()).filter(Boolean);
  const braveKey = readSecret(env, "BRAVE_API_KEY");
  return new ToolRegistry()
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
    });
}
