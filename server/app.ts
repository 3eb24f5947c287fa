import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import { type Agent, type Logger, type StoreHealth, errorCodes } from "realtime-agent";
import { ApiKeys, hashApiKey, localPrincipal, scopes } from "./auth/api-keys.ts";
import type { JwtVerifier } from "./auth/jwt.ts";
import { type Authentication, Authenticator, authenticateRequest } from "./auth/request-auth.ts";
import { chatPageBundle } from "./chat-page/chat-page-bundle.ts";
import { ServerMetrics } from "./metrics.ts";
import { openAIRouter } from "./openai-api.ts";
import { speechRouter } from "./speech/speech-api.ts";
import { protocolVersion } from "./protocol.ts";
import { WebSocketGateway, type GatewayOptions } from "./ws/gateway.ts";
import { sessionsRouter } from "./sessions-api.ts";
import { profileRouter } from "./profile-api.ts";

const staticDirectory = join(dirname(fileURLToPath(import.meta.url)), "static");

export interface AgentServerOptions {
  agent: Agent;
  logger: Logger;
  gateway?: Omit<GatewayOptions, "agent" | "metrics" | "logger" | "keys" | "allowedOrigins">;
  /**
   * API keys (server/auth/api-keys.ts). With any, /ws and /v1 need a key with the "chat" scope, /metrics
   * one with "metrics" and /health tells its details to "metrics" or "admin" keys only. Without, the
   * server is open to whoever reaches it: `rta serve` then binds loopback only.
   */
  keys?: ApiKeys;
  /** One key (id "default", every scope): the same as `keys` with that key alone. */
  apiKey?: string;
  /** Bearer JWTs accepted beside the keys (owner `jwt:<sub>`, scopes from the `scope` claim). */
  jwt?: JwtVerifier;
  /** Origins whose pages may open the WebSocket besides the server's own ("*": any). */
  allowedOrigins?: readonly string[];
  /** Serve /metrics and /health's details without a key even when keys are configured. */
  publicMetrics?: boolean;
  /** What each part runs on (sessions, message rates…), shown in /health's details. */
  runningOn?: Record<string, string>;
}

export interface AgentServer {
  http: Server;
  metrics: ServerMetrics;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Stops taking connections, lets running turns finish for up to `drainMs` (default 0), then closes. */
  close(drainMs?: number): Promise<void>;
  /** Forgets deleted sessions: their connections close and the frames kept for resuming go. */
  forget(sessionKeys: readonly string[]): void;
  /** Tells every connected client that the session store degraded or recovered (a `system_event`). */
  announceStoreHealth(health: StoreHealth): void;
}

/** HTTP (health, metrics, chat page) and WebSocket (/ws/:sessionId) in front of one agent. */
export function createAgentServer(options: AgentServerOptions): AgentServer {
  const metrics = new ServerMetrics({ provider: options.agent.model.id });
  options.agent.feedback.onFeedback((feedback) => metrics.observeFeedback(feedback));
  const keys =
    options.keys ??
    new ApiKeys(options.apiKey ? [{ id: "default", sha256: hashApiKey(options.apiKey), scopes: [...scopes] }] : []);
  const auth = new Authenticator(keys, options.jwt);
  /** Whether the request may see the server's inside (metrics, tools, store, provider); why not, else. */
  const observation = async (request: IncomingMessage): Promise<Authentication> =>
    options.publicMetrics === true
      ? { ok: true, principal: localPrincipal }
      : authenticateRequest(request, auth, "metrics");
  const app = express();
  app.disable("x-powered-by");
  app.use((_request, response, next) => {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    next();
  });

  app.get("/health", async (request, response) => {
    // Degraded: serving, with a part down (a store tier); the reason is for observers only.
    const storeHealth = options.agent.store.health?.() ?? { degraded: false };
    const status = storeHealth.degraded ? "degraded" : "ok";
    if (!(await observation(request)).ok) return void response.json({ status });
    response.json({
      status,
      ...(storeHealth.degraded
        ? { degraded: { store: storeHealth.reason ?? "degraded", buffered_writes: storeHealth.bufferedWrites ?? 0 } }
        : {}),
      protocol: protocolVersion,
      provider: options.agent.model.id,
      store: options.agent.store.kind,
      tools: options.agent.tools.list().map((entry) => entry.tool.name),
      ...(options.runningOn ? { running_on: options.runningOn } : {}),
      uptime_s: Math.round(process.uptime()),
    });
  });

  app.get("/metrics", async (request, response) => {
    const observer = await observation(request);
    if (!observer.ok) {
      const code = observer.status === 403 ? "AUTH_FORBIDDEN" : "AUTH_REQUIRED";
      return void response.status(errorCodes[code].httpStatus).json({ error: { code, message: observer.reason } });
    }
    response.setHeader("Content-Type", metrics.registry.contentType);
    response.send(await metrics.registry.metrics());
  });

  // The chat page's script and the typed client it uses, bundled on first request (server/chat-page).
  app.get("/chat.js", async (_request, response) => {
    const script = await chatPageBundle();
    response.setHeader("Cache-Control", "no-cache");
    response.type("text/javascript").send(script);
  });

  app.use(
    "/v1/sessions",
    sessionsRouter({ agent: options.agent, auth, onDeleted: (sessionKeys) => gateway.forget(sessionKeys) }),
  );
  app.use("/v1/profile", profileRouter({ agent: options.agent, auth }));
  app.use("/v1/audio/speech", speechRouter({ auth }));
  app.use("/v1", openAIRouter({ agent: options.agent, auth }));
  app.use((error: unknown, _request: express.Request, response: express.Response, next: express.NextFunction) => {
    // Body-parser errors (malformed JSON, too large) as typed JSON errors, never a stack trace.
    if (response.headersSent) return next(error);
    const status =
      typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : 500;
    response.status(status).json({
      error: {
        message:
          status === 413
            ? "The request body is too large."
            : status < 500
              ? "The request body is not valid JSON."
              : "Internal error.",
        type: status < 500 ? "invalid_request_error" : "server_error",
        code: status === 413 ? "INPUT_TOO_LARGE" : status < 500 ? "INPUT_MALFORMED" : "INTERNAL",
      },
    });
  });
  app.use(express.static(staticDirectory, { index: "index.html", maxAge: 0 }));
  app.use((_request, response) => {
    response.status(404).json({ error: { code: "NOT_FOUND", message: "No such route." } });
  });

  const http = createServer(app);
  const gateway = new WebSocketGateway({
    agent: options.agent,
    metrics,
    logger: options.logger,
    ...options.gateway,
    auth,
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
  });
  http.on("upgrade", (request, socket, head) => {
    gateway.handleUpgrade(request, socket, head).catch((error: unknown) => {
      options.logger.error("websocket upgrade failed", {
        error: error instanceof Error ? error.message : String(error),
      });
      socket.destroy();
    });
  });
  http.on("clientError", (_error, socket) => socket.destroy());
  // A client that trickles its headers or body holds a connection: bounded (Node's defaults are 60 s and 5 min).
  http.headersTimeout = 10_000;
  http.requestTimeout = 30_000;

  return {
    http,
    metrics,
    listen: (port, host = "127.0.0.1") =>
      new Promise((resolve, reject) => {
        http.once("error", reject);
        http.listen(port, host, () => {
          http.off("error", reject);
          resolve(http.address() as AddressInfo);
        });
      }),
    close: async (drainMs = 0) => {
      await gateway.close(drainMs);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
    forget: (sessionKeys) => gateway.forget(sessionKeys),
    announceStoreHealth: (health) =>
      health.degraded
        ? gateway.announce(
            "store_degraded",
            "Conversations are being kept in the server's memory until the session database answers again.",
            { reason: health.reason ?? null, buffered_writes: health.bufferedWrites ?? 0 },
          )
        : gateway.announce("store_recovered", "The session database answers again; everything kept has been written."),
  };
}
