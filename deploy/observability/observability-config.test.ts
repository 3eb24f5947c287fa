import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { ServerMetrics } from "../../server/metrics.ts";

const root = join(import.meta.dirname, "..", "..");
const readYaml = (path: string) => parse(readFileSync(join(root, path), "utf8")) as unknown;

const composeSchema = z.object({
  services: z.record(
    z.string(),
    z.object({ profiles: z.array(z.string()).optional(), volumes: z.array(z.string()).optional() }).passthrough(),
  ),
});
const dashboardSchema = z.object({
  uid: z.string(),
  panels: z.array(
    z.object({
      title: z.string(),
      datasource: z.object({ uid: z.string() }),
      targets: z.array(z.object({ expr: z.string() })),
    }),
  ),
});

describe("docker compose --profile observability", () => {
  const compose = composeSchema.parse(readYaml("docker-compose.yml"));

  it("adds Prometheus, Grafana and Jaeger to the profile only, with every mounted file in the repository", () => {
    for (const name of ["prometheus", "grafana", "jaeger"])
      expect(compose.services[name]?.profiles).toEqual(["observability"]);
    for (const name of ["agent", "postgres", "redis"]) expect(compose.services[name]?.profiles).toBeUndefined();
    const mounted = ["prometheus", "grafana"].flatMap((name) => compose.services[name]!.volumes ?? []);
    expect(mounted.length).toBeGreaterThanOrEqual(3);
    for (const volume of mounted) expect(existsSync(join(root, volume.split(":")[0]!))).toBe(true);
  });

  it("scrapes the agent's /metrics", () => {
    const config = z
      .object({
        scrape_configs: z.array(
          z.object({
            metrics_path: z.string(),
            static_configs: z.array(z.object({ targets: z.array(z.string()) })),
          }),
        ),
      })
      .parse(readYaml("deploy/observability/prometheus.yml"));
    expect(config.scrape_configs[0]!.metrics_path).toBe("/metrics");
    expect(config.scrape_configs[0]!.static_configs[0]!.targets).toEqual(["agent:3000"]);
  });

  it("provisions a dashboard whose every query reads metrics the server exports, from the provisioned data source", async () => {
    const datasources = z
      .object({ datasources: z.array(z.object({ uid: z.string(), url: z.string() })) })
      .parse(readYaml("deploy/observability/grafana/provisioning/datasources/prometheus.yml"));
    expect(datasources.datasources[0]!.url).toBe("http://prometheus:9090");
    const dashboard = dashboardSchema.parse(
      JSON.parse(readFileSync(join(root, "deploy/observability/grafana/dashboards/realtime-agent.json"), "utf8")),
    );
    const exported = new Set(
      (await new ServerMetrics().registry.getMetricsAsJSON()).flatMap((metric) =>
        String(metric.type) === "histogram"
          ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`]
          : [metric.name],
      ),
    );
    const queried = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe(datasources.datasources[0]!.uid);
      for (const target of panel.targets)
        for (const name of target.expr.match(/\b(?:agent|nodejs|process)_[a-z0-9_]+\b/g) ?? []) queried.add(name);
    }
    const missing = [...queried].filter((name) => !exported.has(name));
    expect(missing).toEqual([]);
    // What the issue asks the dashboard to show.
    for (const needed of [
      "agent_time_to_first_token_seconds_bucket",
      "agent_tool_duration_seconds_bucket",
      "agent_cache_lookups_total",
      "agent_guard_decisions_total",
      "agent_provider_fallbacks_total",
      "nodejs_eventloop_lag_p99_seconds",
    ])
      expect(queried.has(needed)).toBe(true);
  });
});
