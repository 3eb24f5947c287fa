import { trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

export interface Tracing {
  /** Where spans go (the OTLP/HTTP traces endpoint). */
  endpoint: string;
  /** Sends the spans still held, then stops. */
  shutdown(): Promise<void>;
}

/**
 * Exports the agent's spans (core/telemetry/tracing.ts: turn, model calls, tool calls) over OTLP/HTTP
 * when the standard variables ask for it: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or
 * OTEL_EXPORTER_OTLP_ENDPOINT with `/v1/traces` after it; OTEL_SERVICE_NAME (default realtime-agent);
 * OTEL_EXPORTER_OTLP_HEADERS for a collector that wants a key. Without them nothing is set up and spans
 * cost nothing. OTEL_SDK_DISABLED=true turns it off.
 */
export function startTracing(env: NodeJS.ProcessEnv): Tracing | undefined {
  if (env.OTEL_SDK_DISABLED === "true") return undefined;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, "");
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (base ? `${base}/v1/traces` : undefined);
  if (!endpoint) return undefined;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "realtime-agent" }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }), { scheduledDelayMillis: 1000 })],
  });
  trace.setGlobalTracerProvider(provider);
  return {
    endpoint,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
    },
  };
}
