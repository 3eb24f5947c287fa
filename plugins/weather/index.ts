import { z } from "zod";
import { ToolError, plugin, tool } from "realtime-agent";
import { getJson, hostOf, networkConfigSchema } from "../shared/http-json.ts";
import { weatherReconciler } from "./reconcile-weather-call.ts";

/** Current weather and a short forecast from Open-Meteo (keyless): geocoding, then the forecast API. */
export const weatherConfigSchema = networkConfigSchema.extend({
  geocodingUrl: z.string().url().default("https://geocoding-api.open-meteo.com/v1/search"),
  forecastUrl: z.string().url().default("https://api.open-meteo.com/v1/forecast"),
});
export type WeatherConfig = z.infer<typeof weatherConfigSchema>;

const geocodingSchema = z.object({
  results: z
    .array(
      z.object({
        name: z.string(),
        latitude: z.number(),
        longitude: z.number(),
        country: z.string().optional(),
        timezone: z.string().optional(),
      }),
    )
    .optional(),
});
const forecastSchema = z.object({
  current: z.object({
    time: z.string(),
    temperature_2m: z.number(),
    relative_humidity_2m: z.number().optional(),
    weather_code: z.number().optional(),
    wind_speed_10m: z.number().optional(),
  }),
  daily: z
    .object({
      time: z.array(z.string()),
      temperature_2m_max: z.array(z.number()),
      temperature_2m_min: z.array(z.number()),
      precipitation_sum: z.array(z.number()).optional(),
    })
    .optional(),
});

/** WMO weather interpretation codes, as Open-Meteo documents them. */
const weatherCodes: Record<number, string> = {
  0: "clear sky",
  1: "mainly clear",
  2: "partly cloudy",
  3: "overcast",
  45: "fog",
  48: "depositing rime fog",
  51: "light drizzle",
  53: "drizzle",
  55: "dense drizzle",
  61: "slight rain",
  63: "rain",
  65: "heavy rain",
  71: "slight snow",
  73: "snow",
  75: "heavy snow",
  80: "rain showers",
  81: "heavy rain showers",
  82: "violent rain showers",
  95: "thunderstorm",
  96: "thunderstorm with hail",
  99: "thunderstorm with heavy hail",
};

/** Worked examples (and, to the reconcile, cities a model may copy from them). */
const weatherExamples = [
  { request: "What's the weather like in Tokyo?", arguments: { city: "Tokyo" } },
  { request: "Will it rain in London tomorrow?", arguments: { city: "London", days: 2 } },
  { request: "How hot is it in Cairo right now?", arguments: { city: "Cairo" } },
  { request: "Do I need an umbrella in Seattle today?", arguments: { city: "Seattle" } },
  { request: "What's the forecast for Berlin this week?", arguments: { city: "Berlin", days: 7 } },
  { request: "Is it snowing in Denver?", arguments: { city: "Denver" } },
  { request: "¿Qué tiempo hace en Madrid?", arguments: { city: "Madrid" } },
  { request: "¿Va a llover mañana en Bogotá?", arguments: { city: "Bogotá", days: 2 } },
  { request: "¿Qué temperatura hace ahora en Buenos Aires?", arguments: { city: "Buenos Aires" } },
  { request: "Pronóstico del tiempo para Sevilla esta semana", arguments: { city: "Sevilla", days: 7 } },
  { request: "¿Necesito paraguas hoy en Lima?", arguments: { city: "Lima" } },
  { request: "¿Está nevando en Andorra?", arguments: { city: "Andorra" } },
  { request: "Should I wear a coat in Chicago tonight?", arguments: { city: "Chicago" } },
  { request: "Is it sunny in Nice this weekend?", arguments: { city: "Nice" } },
  { request: "¿Hace frío hoy en Burgos?", arguments: { city: "Burgos" } },
  { request: "¿Cómo está el clima esta semana en Quito?", arguments: { city: "Quito" } },
  { request: "¿Hará sol el sábado en Ibiza?", arguments: { city: "Ibiza" } },
];

export function weatherTool(config: WeatherConfig) {
  return tool({
    name: "weather",
    description: "Get the current weather (temperature, rain, wind) and the next days' forecast for a city.",
    inputSchema: z.object({
      city: z.string().min(1).max(100).describe("City name, e.g. Tokyo"),
      days: z.number().int().min(1).max(7).optional().describe("Days of forecast (default 3)"),
    }),
    timeoutMs: config.timeoutMs * 2,
    cacheTtlMs: 0,
    idempotent: true,
    networkHosts: [hostOf(config.geocodingUrl), hostOf(config.forecastUrl)],
    service: "Open-Meteo",
    examples: weatherExamples,
    reconcile: weatherReconciler(["Tokyo", ...weatherExamples.map((example) => example.arguments.city)]),
    async execute({ city, days }, { fetch }) {
      const geocoding = new URL(config.geocodingUrl);
      geocoding.search = new URLSearchParams({ name: city, count: "1", language: "en", format: "json" }).toString();
      const places = await getJson(geocoding, {
        fetch,
        allowPrivate: config.allowPrivate,
        schema: geocodingSchema,
        service: "The geocoding service",
        timeoutMs: config.timeoutMs,
      });
      const place = places.results?.[0];
      if (!place) throw new ToolError("TOOL_FAILED", `No place called "${city}" was found.`);
      const forecast = new URL(config.forecastUrl);
      forecast.search = new URLSearchParams({
        latitude: String(place.latitude),
        longitude: String(place.longitude),
        current: "temperature_2m,relative_humidity_2m,weather_code,wind_speed_10m",
        daily: "temperature_2m_max,temperature_2m_min,precipitation_sum",
        timezone: "auto",
        forecast_days: String(days ?? 3),
      }).toString();
      const weather = await getJson(forecast, {
        fetch,
        allowPrivate: config.allowPrivate,
        schema: forecastSchema,
        service: "The forecast service",
        timeoutMs: config.timeoutMs,
      });
      return {
        place: { name: place.name, country: place.country, latitude: place.latitude, longitude: place.longitude },
        current: {
          time: weather.current.time,
          temperature_c: weather.current.temperature_2m,
          humidity_percent: weather.current.relative_humidity_2m,
          wind_kmh: weather.current.wind_speed_10m,
          conditions:
            weather.current.weather_code === undefined
              ? undefined
              : (weatherCodes[weather.current.weather_code] ?? `code ${weather.current.weather_code}`),
        },
        daily: (weather.daily?.time ?? []).map((date, index) => ({
          date,
          max_c: weather.daily!.temperature_2m_max[index],
          min_c: weather.daily!.temperature_2m_min[index],
          precipitation_mm: weather.daily!.precipitation_sum?.[index],
        })),
        source: "Open-Meteo",
      };
    },
  });
}

export const weatherPlugin = plugin({
  name: "weather",
  version: "1.0.0",
  configSchema: weatherConfigSchema,
  tools: (config) => [weatherTool(config)],
});
