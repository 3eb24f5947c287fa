import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { LoadForecaster } from "./load-forecast.ts";
import { staleAfterFailures, startForecastExporter } from "./forecast-exporter.ts";
import { syntheticTrace } from "./synthetic-trace.ts";

const minute = 60_000;
const start = Date.UTC(2026, 10, 16);
const trace = syntheticTrace({ days: 8, start });
const now = start + 7 * 1440 * minute + 8 * 60 * minute; // the eighth day, 8:00

/** Prometheus's query_range on loopback, in its documented JSON: the trace as two pods' series. */
async function loopbackPrometheus(options: { failing?: boolean } = {}) {
  const asked: URL[] = [];
  const state = { failing: options.failing ?? false };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    asked.push(url);
    if (state.failing || url.pathname !== "/api/v1/query_range") return void response.writeHead(503).end();
    const from = Number(url.searchParams.get("start")) * 1000;
    const to = Number(url.searchParams.get("end")) * 1000;
    // Prometheus refuses more than 11,000 points a series ("exceeded maximum resolution").
    const step = Number.parseInt(url.searchParams.get("step") ?? "", 10) * 1000;
    if ((to - from) / step > 11_000)
      return void response.writeHead(400).end('{"status":"error","errorType":"bad_data"}');
    const window = trace.filter((sample) => sample.at >= from && sample.at <= to);
    const series = (pod: string, share: (value: number) => number) => ({
      metric: { __name__: "agent_active_sessions", pod },
      values: window.map((sample) => [sample.at / 1000, String(share(sample.value))]),
    });
    response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        status: "success",
        data: {
          resultType: "matrix",
          result: [
            series("agent-a", (value) => Math.floor(value / 2)),
            series("agent-b", (value) => Math.ceil(value / 2)),
          ],
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    asked,
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

describe("startForecastExporter", () => {
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it("exports the forecast peak of the summed history for each horizon, from Prometheus's query_range", async () => {
    const prometheus = await loopbackPrometheus();
    closers.push(prometheus.close);
    const exporter = await startForecastExporter({ prometheusUrl: prometheus.url, port: 0, now: () => now });
    closers.push(exporter.close);
    const query = prometheus.asked[0]!;
    expect(query.searchParams.get("query")).toBe("sum(agent_active_sessions)");
    expect(query.searchParams.get("step")).toBe("60s");
    expect(Number(query.searchParams.get("end")) * 1000).toBe(now);

    const text = await (await fetch(`${exporter.url}/metrics`)).text();
    const exported = (horizon: string) =>
      Number(new RegExp(`agent_forecast_active_sessions\\{horizon="${horizon}"\\} ([\\d.]+)`).exec(text)?.[1]);
    const past = trace.filter((sample) => sample.at >= now - (7 * 1440 + 120) * minute && sample.at <= now);
    const forecaster = new LoadForecaster(past);
    expect(exported("15m")).toBeCloseTo(forecaster.peak(now, 15 * minute), 6);
    expect(exported("1h")).toBeCloseTo(forecaster.peak(now, 60 * minute), 6);
    // At 8:00 the hour ahead holds the morning ramp: far above the load now.
    expect(exported("1h")).toBeGreaterThan(3 * past.at(-1)!.value);
    expect(text).toContain(`agent_forecast_updated_seconds ${now / 1000}`);

    // Prometheus gone: the forecast stays for a few failed refreshes, then is withdrawn, not served stale.
    prometheus.state.failing = true;
    for (let attempt = 1; attempt < staleAfterFailures; attempt++) await exporter.refresh();
    expect(await (await fetch(`${exporter.url}/metrics`)).text()).toContain("agent_forecast_active_sessions{");
    await exporter.refresh();
    expect(await (await fetch(`${exporter.url}/metrics`)).text()).not.toContain("agent_forecast_active_sessions{");
  });

  it("keeps serving, and says why, when Prometheus cannot be read", async () => {
    const prometheus = await loopbackPrometheus({ failing: true });
    closers.push(prometheus.close);
    const errors: unknown[] = [];
    const exporter = await startForecastExporter({
      prometheusUrl: prometheus.url,
      port: 0,
      now: () => now,
      onError: (error) => errors.push(error),
    });
    closers.push(exporter.close);
    expect(String(errors[0])).toContain("503");
    const response = await fetch(`${exporter.url}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).not.toMatch(/agent_forecast_active_sessions\{/);
  });
});
