import { parseArgs } from "node:util";
import { createLogger } from "realtime-agent";
import { startForecastExporter } from "../../server/scaling/forecast-exporter.ts";

export const forecastUsage = `rta forecast --prometheus URL [--port N] [--host H] [--query Q]

  Serves /metrics with agent_forecast_active_sessions{horizon="15m"|"1h"}: the forecast peak of open
  sessions over the next 15 minutes and hour (seasonal baseline from the last week, scaled by the last
  hour's level), recomputed every minute from the history in Prometheus. Point prometheus-adapter at it
  (deploy/kubernetes/prometheus-adapter/rules.yaml) and the autoscaler starts pods before the load arrives.

  --prometheus URL   Prometheus's address (e.g. http://prometheus:9090)
  --port N           where to serve /metrics (default 9464)
  --host H           address to listen on (default 127.0.0.1; 0.0.0.0 in a pod)
  --query Q          what to forecast (default sum(agent_active_sessions))`;

export async function forecastCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      prometheus: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      query: { type: "string" },
    },
  });
  if (!values.prometheus) {
    process.stderr.write(`rta forecast: --prometheus URL is needed.\n\n${forecastUsage}\n`);
    return 2;
  }
  const logger = createLogger({ level: (process.env.RTA_LOG_LEVEL as never) ?? "info", name: "rta.forecast" });
  const exporter = await startForecastExporter({
    prometheusUrl: values.prometheus,
    port: Number(values.port ?? 9464),
    host: values.host ?? "127.0.0.1",
    ...(values.query ? { query: values.query } : {}),
    onError: (error) => logger.warn("forecast not updated", { error: String(error) }),
  });
  logger.info("forecast exporter listening", { url: `${exporter.url}/metrics` });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await exporter.close();
  return 0;
}
