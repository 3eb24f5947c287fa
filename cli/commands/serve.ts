import { loadExternalPlugins, startTracing } from "realtime-agent/runtime";
import { LocalModelProvider, RedisSessionLock, createLogger, registerSecret } from "realtime-agent";
import { type AgentServer, createAgentServer } from "../../server/app.ts";
import { startRetentionJob } from "../../server/retention-job.ts";
import { Redis } from "ioredis";
import { ApiKeys } from "../../server/auth/api-keys.ts";
import { JwtVerifier } from "../../server/auth/jwt.ts";
import { defaultMessageRate, InMemoryRateLimiter, RedisRateLimiter } from "../../server/ws/rate-limiter.ts";
import { RedisSessionBus } from "../../server/ws/redis-session-bus.ts";
import {
  createRuntime,
  createSemanticCache,
  createSafetyGuard,
  openSessionStore,
  runtimeConfigFromEnv,
  storeConfigFromEnv,
} from "realtime-agent/runtime";

export async function serve(options: { port: string; host: string }): Promise<number> {
  const port = Number.parseInt(options.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0-65535, got "${options.port}".`);
  const retentionDays = Number(process.env.RTA_RETENTION_DAYS || 30);
  if (!(retentionDays >= 0)) {
    process.stderr.write(
      `rta serve: RTA_RETENTION_DAYS must be a number of days ≥ 0 (0 keeps sessions), got "${process.env.RTA_RETENTION_DAYS}"\n`,
    );
    return 2;
  }
  registerSecret(process.env.RTA_API_KEY);
  registerSecret(process.env.RTA_JWT_SECRET);
  const keys = ApiKeys.fromEnv(process.env);
  const jwt = JwtVerifier.fromEnv(process.env);
  const exposure = exposureProblem(options.host, keys.enabled || jwt !== undefined, process.env);
  if (exposure) {
    process.stderr.write(`rta serve: ${exposure}\n`);
    return 2;
  }
  const logger = createLogger({ level: (process.env.RTA_LOG_LEVEL as never) ?? "info", name: "rta.server" });
  const tracing = startTracing(process.env);
  if (tracing) logger.info("traces exported over OTLP", { endpoint: tracing.endpoint });
  const redis = process.env.REDIS_URL
    ? new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
    : undefined;
  redis?.on("error", (error) =>
    logger.warn("redis unavailable: sessions served from the database, message rates counted per instance", {
      error: error.message,
    }),
  );
  // Instances share sessions over Redis when asked (RTA_SESSION_BUS=redis): REDIS_URL's, or another one
  // (RTA_SESSION_BUS_URL). One instance keeps frames in memory: Redis is then off the path of every frame.
  const busRedis = process.env.RTA_SESSION_BUS_URL
    ? new Redis(process.env.RTA_SESSION_BUS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : redis;
  if (busRedis !== redis)
    busRedis?.on("error", (error) => logger.warn("session bus redis unavailable", { error: error.message }));
  const busKind = process.env.RTA_SESSION_BUS || "local";
  if ((busKind !== "redis" && busKind !== "local") || (busKind === "redis" && !busRedis)) {
    redis?.disconnect();
    busRedis?.disconnect();
    process.stderr.write(
      busKind === "redis"
        ? "rta serve: RTA_SESSION_BUS=redis needs REDIS_URL or RTA_SESSION_BUS_URL\n"
        : `rta serve: RTA_SESSION_BUS must be redis or local, got "${busKind}"\n`,
    );
    return 2;
  }
  let server: AgentServer | undefined;
  let sessions: Awaited<ReturnType<typeof openSessionStore>>;
  try {
    sessions = await openSessionStore(storeConfigFromEnv(), {
      ...(redis ? { redis } : {}),
      logger,
      // The server exists once the store is open: until then there is nobody to tell.
      onHealthChange: (health) => server?.announceStoreHealth(health),
    });
  } catch (error) {
    redis?.disconnect();
    busRedis?.disconnect();
    process.stderr.write(`rta serve: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  logger.info("sessions stored", { in: sessions.description });
  const bus = busKind === "redis" ? new RedisSessionBus(busRedis!, { logger }) : undefined;
  // Listening before hearing the other instances would miss their cancels; a Redis that does not answer
  // within 5 s is waited for in the background (frames queue meanwhile).
  if (
    bus &&
    !(await Promise.race([bus.ready().then(() => true), new Promise((resolve) => setTimeout(resolve, 5_000, false))]))
  )
    logger.warn("session bus: Redis does not answer yet; sessions are shared once it does");
  if (bus && storeConfigFromEnv().kind !== "postgres")
    logger.warn(
      "sessions are shared with other instances over Redis, but their history is kept by this process only: set DATABASE_URL so that another instance can continue them",
      { store: sessions.description },
    );
  const cache = createSemanticCache(process.env);
  const config = runtimeConfigFromEnv();
  // The synthetic model is for load tests of the transport: no guard, as the runtime itself decides.
  const safety = config.model === "synthetic" ? undefined : createSafetyGuard(process.env);
  const agent = createRuntime(config, {
    logger,
    store: sessions.store,
    // Instances that share sessions also take turns on them one at a time.
    ...(bus ? { sessionLock: new RedisSessionLock(busRedis!, { logger }) } : {}),
    ...(cache ? { cache } : {}),
    ...(safety ? { safety } : {}),
    // Users' preferences learned from their turns (GET/DELETE /v1/profile); RTA_PROFILES=off turns it
    // off. Not with the synthetic model: load runs measure the transport, and their clients, all one
    // owner without keys, would queue on one profile.
    profiles: process.env.RTA_PROFILES !== "off" && config.model !== "synthetic",
  });
  // The classifiers embed their examples once (~1 s): in the background, before the first message needs them.
  safety?.load().catch((error: unknown) => logger.warn("safety classifier failed to load", { error: String(error) }));
  const external = await loadExternalPlugins(agent.tools, process.env);
  if (external.length) logger.info("plugins loaded", { plugins: external });
  if (agent.model instanceof LocalModelProvider) {
    const loaded = await agent.model.load();
    logger.info("local model loaded", { model: loaded.modelPath, loadMs: Math.round(loaded.loadMs) });
    // In the background: the server answers meanwhile; the first turn with a tool then starts warm.
    const started = performance.now();
    agent.warmUp().then(
      (systemTurns) => logger.info("prompt cache warmed", { systemTurns, ms: Math.round(performance.now() - started) }),
      (error: unknown) => logger.warn("prompt cache warm-up failed", { error: String(error) }),
    );
  }
  if (!keys.enabled && !jwt)
    logger.warn("no API key configured: anyone who can reach this address can use the agent", { host: options.host });
  const maxFrameBytes = Number.parseInt(process.env.RTA_MAX_FRAME_BYTES ?? "", 10);
  const allowedOrigins = (process.env.RTA_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  const limits = gatewayLimitsFromEnv(process.env);
  const messageRate = {
    burst: limits.messageBurst ?? defaultMessageRate.burst,
    perSecond: limits.messagesPerSecond ?? defaultMessageRate.perSecond,
  };
  const runningOn = {
    model: agent.model.id,
    sessions: sessions.description,
    message_rates: redis ? "redis (REDIS_URL)" : "this process",
    session_frames: bus
      ? `redis (${process.env.RTA_SESSION_BUS_URL ? "RTA_SESSION_BUS_URL" : "REDIS_URL"}): shared with other instances`
      : "this process",
    retention: retentionDays > 0 ? `deleted after ${retentionDays} days unused` : "kept",
    semantic_cache: cache ? `on (similarity ≥ ${cache.threshold})` : "off",
    safety: !safety ? "off" : safety.usesClassifier ? "rules and embedding classifiers" : "rules only",
  };
  server = createAgentServer({
    agent,
    logger,
    runningOn,
    keys,
    ...(jwt ? { jwt } : {}),
    allowedOrigins,
    publicMetrics: process.env.RTA_PUBLIC_METRICS === "1",
    gateway: {
      ...(Number.isInteger(maxFrameBytes) && maxFrameBytes > 0 ? { maxFrameBytes } : {}),
      ...(limits.maxConnectionsPerClient ? { maxConnectionsPerClient: limits.maxConnectionsPerClient } : {}),
      ...(limits.maxSessions ? { maxSessions: limits.maxSessions } : {}),
      messageRate: redis ? new RedisRateLimiter(redis, messageRate) : new InMemoryRateLimiter(messageRate),
      ...(bus ? { bus } : {}),
    },
  });
  const stopRetention =
    retentionDays > 0
      ? startRetentionJob(agent.store, {
          retentionMs: retentionDays * 24 * 60 * 60 * 1000,
          onDeleted: (sessionKeys) => server.forget(sessionKeys),
          logger,
        })
      : () => {};
  // What each part runs on, so that nothing configured is silently ignored (also in /health).
  logger.info("running on", runningOn);
  const address = await server.listen(port, options.host);
  const url = `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info("listening", { url, websocket: `${url.replace("http", "ws")}/ws/:sessionId` });
  process.stdout.write(
    `realtime-agent listening on ${url}  (chat page: ${url}/ , WebSocket: ${url.replace("http", "ws")}/ws/<session>)\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  const drainMs = Number.parseInt(process.env.RTA_DRAIN_MS ?? "10000", 10);
  logger.info("shutting down", { drainMs });
  stopRetention();
  await server.close(Number.isFinite(drainMs) ? drainMs : 10_000);
  redis?.disconnect();
  busRedis?.disconnect();
  await agent.close();
  await tracing?.shutdown().catch((error: unknown) => logger.warn("traces not all sent", { error: String(error) }));
  return 0;
}

const loopbackHosts = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * Why the server must not start as asked: with no API key it would be open to anyone who can reach
 * the address, so it binds loopback only unless RTA_ALLOW_UNAUTHENTICATED=1 says that is meant.
 */
export function exposureProblem(host: string, keysEnabled: boolean, env: NodeJS.ProcessEnv): string | undefined {
  if (keysEnabled || loopbackHosts.has(host) || host.startsWith("127.")) return undefined;
  if (env.RTA_ALLOW_UNAUTHENTICATED === "1") return undefined;
  return (
    `refusing to listen on ${host} without authentication: anyone who reaches it could use the agent and read ` +
    "its sessions. Set RTA_API_KEY (or RTA_API_KEYS_FILE: `rta keys new --id NAME`), listen on 127.0.0.1, " +
    "or set RTA_ALLOW_UNAUTHENTICATED=1 if the network is yours alone."
  );
}

/** Positive integers (or rates) from RTA_MESSAGE_BURST, RTA_MESSAGES_PER_SECOND, RTA_MAX_CONNECTIONS_PER_CLIENT, RTA_MAX_SESSIONS. */
function gatewayLimitsFromEnv(env: NodeJS.ProcessEnv) {
  const positive = (name: string) => {
    const value = env[name];
    if (value === undefined || value === "") return undefined;
    const number = Number(value);
    if (!(number > 0)) throw new Error(`${name} must be a positive number, got ${JSON.stringify(value)}.`);
    return number;
  };
  return {
    messageBurst: positive("RTA_MESSAGE_BURST"),
    messagesPerSecond: positive("RTA_MESSAGES_PER_SECOND"),
    maxConnectionsPerClient: positive("RTA_MAX_CONNECTIONS_PER_CLIENT"),
    maxSessions: positive("RTA_MAX_SESSIONS"),
  };
}
