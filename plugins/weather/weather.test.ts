import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, executeToolCall, ToolRegistry } from "realtime-agent";
import { runPluginContract } from "realtime-agent/testing/contracts";
import { JsonApiServer } from "../shared/test-support/json-api-server.ts";
import { weatherPlugin } from "./index.ts";

// Open-Meteo's documented geocoding and forecast responses.
const openMeteo = new JsonApiServer((url) => {
  if (url.pathname === "/v1/search") {
    if (url.searchParams.get("name") === "Hangzhou-on-hold") return "hang";
    return url.searchParams.get("name") === "Atlantis"
      ? { body: { generationtime_ms: 0.5 } }
      : {
          body: {
            results: [
              {
                id: 1850147,
                name: "Tokyo",
                latitude: 35.6895,
                longitude: 139.69171,
                country: "Japan",
                timezone: "Asia/Tokyo",
              },
            ],
            generationtime_ms: 0.7,
          },
        };
  }
  if (url.pathname === "/v1/forecast") {
    return {
      body: {
        latitude: 35.7,
        longitude: 139.7,
        timezone: "Asia/Tokyo",
        current_units: { temperature_2m: "°C" },
        current: {
          time: "2026-11-26T13:00",
          interval: 900,
          temperature_2m: 14.2,
          relative_humidity_2m: 55,
          weather_code: 2,
          wind_speed_10m: 9.4,
        },
        daily: {
          time: ["2026-11-26", "2026-11-27"],
          temperature_2m_max: [15.1, 13.8],
          temperature_2m_min: [8.2, 7.5],
          precipitation_sum: [0, 2.4],
        },
      },
    };
  }
  return undefined;
});
let registry: ToolRegistry;
beforeAll(async () => {
  const base = await openMeteo.start();
  registry = new ToolRegistry().register(weatherPlugin, {
    geocodingUrl: `${base}/v1/search`,
    forecastUrl: `${base}/v1/forecast`,
    allowPrivate: ["127.0.0.1"],
  });
});
afterAll(() => openMeteo.close());

const call = (argumentsOfCall: Record<string, unknown>) =>
  executeToolCall(
    { callId: "c", name: "weather", arguments: argumentsOfCall },
    { registry, sessionId: "s", signal: new AbortController().signal, logger: silentLogger },
  );

describe("weather tool", () => {
  it("geocodes the city, then reads the current weather and the daily forecast", async () => {
    const outcome = await call({ city: "Tokyo", days: 2 });
    expect(outcome).toMatchObject({
      ok: true,
      result: {
        place: { name: "Tokyo", country: "Japan" },
        current: { temperature_c: 14.2, humidity_percent: 55, conditions: "partly cloudy" },
        daily: [
          { date: "2026-11-26", max_c: 15.1, min_c: 8.2 },
          { date: "2026-11-27", precipitation_mm: 2.4 },
        ],
      },
    });
    const forecast = openMeteo.requests.at(-1)!;
    expect(forecast.searchParams.get("latitude")).toBe("35.6895");
    expect(forecast.searchParams.get("forecast_days")).toBe("2");
  });

  it("says so when the place does not exist", async () => {
    expect(await call({ city: "Atlantis" })).toMatchObject({
      ok: false,
      error: { code: "TOOL_FAILED", message: 'No place called "Atlantis" was found.' },
    });
  });

  it("is time-sensitive: never cached", () => {
    expect(registry.get("weather")!.tool.cacheTtlMs).toBe(0);
  });
});

runPluginContract(weatherPlugin, {
  config: () => ({
    geocodingUrl: `${openMeteo.url}/v1/search`,
    forecastUrl: `${openMeteo.url}/v1/forecast`,
    allowPrivate: ["127.0.0.1"],
    timeoutMs: 60_000,
  }),
  calls: [
    {
      tool: "weather",
      arguments: { city: "Tokyo", days: 2 },
      check: (result) => expect(result).toMatchObject({ place: { name: "Tokyo" }, current: { temperature_c: 14.2 } }),
    },
  ],
  cancellableCall: { tool: "weather", arguments: { city: "Hangzhou-on-hold" } },
});
