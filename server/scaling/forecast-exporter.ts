import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Gauge, Registry } from "prom-client";
import { z } from "zod";
import { LoadForecaster, type LoadSample } from "./load-forecast.ts";

/** Failed refreshes in a row after which the forecast is withdrawn. */
export const staleAfterFailures = 5;

const queryRangeSchema = z.object({
  status: z.literal("success"),
  data: z.object({
    resultType: z.literal("matrix"),
    result: z.array(z.object({ values: z.array(z.tuple([z.number(), z.string()])) })),
  }),
});

/**
 * The load's history from Prometheus's HTTP API (`/api/v1/query_range`): the query's series summed per
 * timestamp (one series per pod becomes the deployment's total).
 */
export async function fetchLoadHistory(options: {
  prometheusUrl: string;
  query: string;
  from: number;
  to: number;
  stepMs: number;
  signal?: AbortSignal;
}): Promise<LoadSample[]> {
  const url = new URL("/api/v1/query_range", options.prometheusUrl);
  url.searchParams.set("query", options.query);
  url.searchParams.set("start", String(options.from / 1000));
  url.searchParams.set("end", String(options.to / 1000));
  url.searchParams.set("step", `${Math.round(options.stepMs / 1000)}s`);
  const response = await fetch(url, options.signal ? { signal: options.signal } : {});
  if (!response.ok) throw new Error(`Prometheus answered ${response.status} to ${url.pathname}`);
  const parsed = queryRangeSchema.parse(await response.json());
  const totals = new Map<number, number>();
  for (const series of parsed.data.result)
    for (const [seconds, value] of series.values) {
      const number = Number(value);
      if (Number.isFinite(number)) totals.set(seconds * 1000, (totals.get(seconds * 1000) ?? 0) + number);
    }
  return [...totals.entries()].sort((left, right) => left[0] - right[0]).map(([at, value]) => ({ at, value }));
}

export interface ForecastExporterOptions {
  prometheusUrl: string;
  /** What to forecast (default: the deployment's open sessions). */
  query?: string;
  port?: number;
  host?: string;
  /** How often the forecast is computed again (default one minute). */
  intervalMs?: number;
  /**
   * History read each time (default 7 days and 2 hours: a week of seasons for the next two hours, and
   * the level's hour; at one reading a minute that is 10,200 points, under Prometheus's 11,000 a query).
   */
  historyMs?: number;
  /** Horizons exported, as label and milliseconds (default 15 and 60 minutes). */
  horizons?: Record<string, number>;
  now?: () => number;
  onError?: (error: unknown) => void;
}

/**
 * Serves `/metrics` with `agent_forecast_active_sessions{horizon}`: the forecast peak of open sessions
 * over the next 15 minutes and hour, from the history Prometheus keeps. Prometheus scrapes it, and
 * prometheus-adapter hands it to the HorizontalPodAutoscaler as an external metric, so pods start
 * before the load arrives (benchmarks/reports/scaling-*).
 */
export async function startForecastExporter(
  options: ForecastExporterOptions,
): Promise<{ url: string; refresh(): Promise<void>; close(): Promise<void> }> {
  const registry = new Registry();
  const gauge = new Gauge({
    name: "agent_forecast_active_sessions",
    help: "Forecast peak of open sessions over the horizon (seasonal baseline times the current level).",
    labelNames: ["horizon"],
    registers: [registry],
  });
  const lastUpdate = new Gauge({
    name: "agent_forecast_updated_seconds",
    help: "When the forecast was last computed (Unix time).",
    registers: [registry],
  });
  const horizons = options.horizons ?? { "15m": 15 * 60_000, "1h": 60 * 60_000 };
  const now = options.now ?? Date.now;
  const refresh = async () => {
    const to = now();
    const history = await fetchLoadHistory({
      prometheusUrl: options.prometheusUrl,
      query: options.query ?? "sum(agent_active_sessions)",
      from: to - (options.historyMs ?? 7 * 86_400_000 + 2 * 3_600_000),
      to,
      stepMs: 60_000,
      signal: AbortSignal.timeout(30_000),
    });
    const forecaster = new LoadForecaster(history);
    for (const [label, horizonMs] of Object.entries(horizons))
      gauge.set({ horizon: label }, forecaster.peak(to, horizonMs));
    lastUpdate.set(to / 1000);
  };
  // A forecast that can no longer be computed is withdrawn after a few minutes rather than served stale
  // (the morning's peak steering the autoscaler all afternoon); one refresh at a time.
  let failures = 0;
  let refreshing = false;
  const safeRefresh = async () => {
    if (refreshing) return;
    refreshing = true;
    try {
      await refresh();
      failures = 0;
    } catch (error) {
      failures += 1;
      if (failures >= staleAfterFailures) gauge.reset();
      options.onError?.(error);
    } finally {
      refreshing = false;
    }
  };
  await safeRefresh();
  const timer = setInterval(safeRefresh, options.intervalMs ?? 60_000);
  timer.unref();
  const server: Server = createServer(async (request, response) => {
    if (request.url !== "/metrics") return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": registry.contentType }).end(await registry.metrics());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 9464, options.host ?? "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    /** Computes the forecast now (a failure goes to `onError` and counts towards withdrawing it). */
    refresh: safeRefresh,
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
