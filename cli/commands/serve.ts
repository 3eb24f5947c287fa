import { loadExternalPlugins } from "realtime-agent/runtime";
import { LocalModelProvider, createLogger } from "realtime-agent";
import { createAgentServer } from "../../server/app.ts";
import { createRuntime, runtimeConfigFromEnv } from "realtime-agent/runtime";

export async function serve(options: { port: string; host: string }): Promise<number> {
  const port = Number.parseInt(options.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0-65535, got "${options.port}".`);
  const logger = createLogger({ level: (process.env.RTA_LOG_LEVEL as never) ?? "info", name: "rta.server" });
  const agent = createRuntime(runtimeConfigFromEnv(), { logger });
  const external = await loadExternalPlugins(agent.tools, process.env);
  if (external.length) logger.info("plugins loaded", { plugins: external });
  if (agent.model instanceof LocalModelProvider) {
    const loaded = await agent.model.load();
    logger.info("local model loaded", { model: loaded.modelPath, loadMs: Math.round(loaded.loadMs) });
  }
  const maxFrameBytes = Number.parseInt(process.env.RTA_MAX_FRAME_BYTES ?? "", 10);
  const server = createAgentServer({
    agent,
    logger,
    ...(process.env.RTA_API_KEY ? { apiKey: process.env.RTA_API_KEY } : {}),
    gateway: Number.isInteger(maxFrameBytes) && maxFrameBytes > 0 ? { maxFrameBytes } : {},
  });
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
  logger.info("shutting down");
  await server.close();
  await agent.close();
  return 0;
}
