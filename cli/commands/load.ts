import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runLoad, type LoadResult } from "../../benchmarks/load/load-generator.ts";
import { machineInfo } from "../../benchmarks/machine-info.ts";
import { startServerProcess } from "../../server/server-process.ts";
import { benchmarksRoot } from "./bench.ts";

export const loadUsage = `rta load [--clients N[,N...]] [--messages M] [--think-ms P] [--latency-ms L] [--tokens T] [--token-interval-ms I] [--instances K] [--bus local|redis] [--time-limit-s S] [--out DIR] [--target ws://HOST:PORT]
  Starts K servers (default 1) with the synthetic model (first token after L ms, T chunks I ms apart)
  unless --target is given, then runs N WebSocket clients × M messages for each N (default sweep
  1,10,100,1000; M 20; T 10), each client pausing about P ms between messages (default 0), spread over
  the instances, on loopback only. Several instances share sessions over Redis (--bus redis, the
  default for K > 1; RTA_SESSION_BUS_URL or REDIS_URL, else redis://127.0.0.1:6379). Reports the
  latency the platform adds to the model's own time, and the CPU the generator and the servers used.
  Writes report.json and report.md (default benchmarks/reports/load-<date>).`;

export async function loadCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      clients: { type: "string" },
      messages: { type: "string" },
      "latency-ms": { type: "string" },
      tokens: { type: "string" },
      "token-interval-ms": { type: "string" },
      "time-limit-s": { type: "string" },
      "think-ms": { type: "string" },
      instances: { type: "string" },
      bus: { type: "string" },
      out: { type: "string" },
      target: { type: "string" },
    },
  });
  const whole = (flag: string, value: string | undefined, fallback: number) => {
    const parsed = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${flag} must be a whole number, got "${value}".`);
    return parsed;
  };
  const sweep = (values.clients ?? "1,10,100,1000").split(",").map((part) => whole("clients", part.trim(), 1));
  if (sweep.some((clients) => clients < 1 || clients > 5000)) throw new Error("--clients must be between 1 and 5000.");
  const messages = whole("messages", values.messages, 20);
  const tokens = whole("tokens", values.tokens, 10);
  const latencyMs = whole("latency-ms", values["latency-ms"], 0);
  const tokenIntervalMs = whole("token-interval-ms", values["token-interval-ms"], 0);
  const timeLimitMs = whole("time-limit-s", values["time-limit-s"], 60) * 1000;
  const thinkMs = whole("think-ms", values["think-ms"], 0);
  const instances = whole("instances", values.instances, 1);
  if (instances < 1 || instances > 16) throw new Error("--instances must be between 1 and 16.");
  const bus = values.bus ?? (instances > 1 ? "redis" : "local");
  if (bus !== "local" && bus !== "redis") throw new Error(`--bus must be local or redis, got "${bus}".`);
  if (values.target && values.instances) throw new Error("--instances starts servers; it cannot go with --target.");
  if (values.target && !/^wss?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(values.target)) {
    throw new Error(
      "--target must be a loopback address (ws://127.0.0.1:PORT, ws://localhost:PORT or ws://[::1]:PORT).",
    );
  }

  const serverEnv = {
    RTA_MODEL: "synthetic",
    RTA_SYNTHETIC_TOKENS: String(tokens),
    RTA_SYNTHETIC_LATENCY_MS: String(latencyMs),
    RTA_SYNTHETIC_TOKEN_INTERVAL_MS: String(tokenIntervalMs),
    RTA_LOG_LEVEL: "error",
    // Every load client comes from this one address: the per-client limits meant for the public
    // (20 messages at once, 5/s, a few connections) would drop most of the load.
    RTA_MESSAGE_BURST: "1000000",
    RTA_MESSAGES_PER_SECOND: "1000000",
    RTA_MAX_CONNECTIONS_PER_CLIENT: "100000",
    RTA_MAX_SESSIONS: "1000000",
    RTA_SESSION_BUS: bus,
    ...(bus === "redis"
      ? { RTA_SESSION_BUS_URL: process.env.RTA_SESSION_BUS_URL || process.env.REDIS_URL || "redis://127.0.0.1:6379" }
      : {}),
  };
  const servers = values.target
    ? []
    : await Promise.all(Array.from({ length: instances }, () => startServerProcess(serverEnv)));
  const wsBases = values.target ? [values.target] : servers.map((server) => server.wsUrl);
  const httpBases = wsBases.map((wsBase) => wsBase.replace(/^ws/, "http"));
  const httpBase = httpBases[0]!;
  // What the server stores sessions in (RTA_STORE, DATABASE_URL, REDIS_URL), as its /health says.
  const health = (await fetch(`${httpBase}/health`).then(
    (response) => response.json(),
    () => ({}),
  )) as { running_on?: { sessions?: string } };
  const sessions = health.running_on?.sessions ?? "unknown (the server did not say)";
  const results: LoadResult[] = [];
  try {
    for (const clients of sweep) {
      const result = await runLoad({
        wsBases,
        httpBases,
        thinkMs,
        // The synthetic model waits L ms, then I ms before each chunk and before its end.
        modelMs: latencyMs + (tokens + 1) * tokenIntervalMs,
        clients,
        messagesPerClient: messages,
        expectedChunks: values.target ? 0 : tokens,
        timeLimitMs,
      });
      results.push(result);
      process.stderr.write(
        `${String(clients).padStart(5)} clients: ${result.messages_per_s} msg/s · first token p50 ${result.time_to_first_token.p50_ms} ms p99 ${result.time_to_first_token.p99_ms} ms · total p99 ${result.total_latency.p99_ms} ms · added p50 ${result.added_latency.p50_ms} ms p99 ${result.added_latency.p99_ms} ms · CPU s generator ${result.cpu_s.generator} servers ${result.cpu_s.servers} · lost ${result.frames_lost} dup ${result.frames_duplicated} misordered ${result.frames_out_of_order} · server RSS ${result.server.peak_rss_mib} MiB\n`,
      );
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
  const report = {
    schema_version: 2,
    kind: "load",
    machine: machineInfo(),
    config: {
      messages_per_client: messages,
      tokens,
      latency_ms: latencyMs,
      token_interval_ms: tokenIntervalMs,
      time_limit_s: timeLimitMs / 1000,
      think_ms: thinkMs,
      target: values.target ?? `${instances} self-started server${instances > 1 ? "s" : ""}, synthetic model`,
      session_frames: values.target ? "unknown" : bus === "redis" ? "shared over Redis" : "each instance's memory",
      sessions,
    },
    levels: results,
  };
  const directory = resolve(
    values.out ?? join(benchmarksRoot, `load-${report.machine.date.slice(0, 19).replace(/:/g, "-")}`),
  );
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = renderLoadMarkdown(report);
  writeFileSync(join(directory, "report.md"), markdown);
  process.stdout.write(markdown);
  const faults = results.reduce(
    (sum, result) =>
      sum + result.frames_lost + result.frames_duplicated + result.frames_out_of_order + result.chunks_missing,
    0,
  );
  return faults === 0 ? 0 : 1;
}

function renderLoadMarkdown(report: {
  machine: ReturnType<typeof machineInfo>;
  config: Record<string, unknown>;
  levels: LoadResult[];
}): string {
  const lines = [
    "# WebSocket load",
    "",
    `${report.machine.date} · ${report.machine.cores} cores · ${report.machine.cpu_model} · Node ${report.machine.node} · client and server on the same machine`,
    `Config: ${Object.entries(report.config)
      .map(([key, value]) => `${key} ${value}`)
      .join(", ")}`,
    "",
    "Added latency: each answer's total latency less the model's own time (latency_ms, then token_interval_ms before each of the tokens chunks and before the end, on a steady clock). CPU: seconds used during the run by the load generator and by all server instances together, of the machine's cores × duration.",
    "",
    "| clients | instances | messages | msg/s | frames/s | first token p50 / p99 (ms) | total p50 / p90 / p99 / max (ms) | added p50 / p99 (ms) | CPU s generator / servers (duration s) | lost | dup | misordered | chunks missing | errors | server peak RSS (MiB) | event-loop lag p99 peak (ms) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.levels.map(
      (level) =>
        `| ${level.clients} | ${level.instances} | ${level.messages_completed} | ${level.messages_per_s} | ${level.frames_per_s} | ${level.time_to_first_token.p50_ms} / ${level.time_to_first_token.p99_ms} | ${level.total_latency.p50_ms} / ${level.total_latency.p90_ms} / ${level.total_latency.p99_ms} / ${level.total_latency.max_ms} | ${level.added_latency.p50_ms} / ${level.added_latency.p99_ms} | ${level.cpu_s.generator} / ${level.cpu_s.servers} (${level.duration_s}) | ${level.frames_lost} | ${level.frames_duplicated} | ${level.frames_out_of_order} | ${level.chunks_missing} | ${level.errors} | ${level.server.peak_rss_mib} | ${level.server.peak_event_loop_lag_p99_ms} |`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
