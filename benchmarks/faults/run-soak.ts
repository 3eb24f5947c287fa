import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type RealtimeClient, RealtimeClientError, connect } from "realtime-agent/client";
import { type ServerProcess, startServerProcess } from "../../server/server-process.ts";
import { startRoundRobinProxy } from "../../server/test-support/round-robin-proxy.ts";
import { machineInfo } from "../machine-info.ts";
import { EndlessOpenAIServer } from "./endless-openai-server.ts";
import { RedisProcess } from "./redis-process.ts";

/**
 * `node --import tsx benchmarks/faults/run-soak.ts [--duration-s 1800] [--clients 30] [--instances 3]
 * [--think-ms 1000] [--out DIR]`: several server instances on a Redis of the soak's own and the
 * machine's PostgreSQL, behind a round-robin proxy, answering through a provider chain of two loopback
 * OpenAI-compatible servers; clients (the typed client, resuming) converse while faults are injected at
 * even intervals: an instance killed and restarted, Redis killed and restarted (it loses everything it
 * held), the first provider failing, an instance stopped gracefully and restarted, another killed.
 * Reports the share of turns answered, turns lost (sent, and neither answered nor told of an error),
 * turns the clients were told were lost (SERVER_INSTANCE_STOPPED, sent again), answered turns missing from
 * PostgreSQL, and per fault the recovery time: until every client had an answer to a message sent after it.
 * Exits 1 if a turn was lost.
 */
const { values } = parseArgs({
  options: {
    "duration-s": { type: "string", default: "1800" },
    clients: { type: "string", default: "30" },
    instances: { type: "string", default: "3" },
    "think-ms": { type: "string", default: "1000" },
    out: { type: "string" },
  },
});
const durationMs = Number(values["duration-s"]) * 1000;
const clientCount = Number(values.clients);
const instanceCount = Number(values.instances);
const thinkMs = Number(values["think-ms"]);
if (!(durationMs >= 60_000) || !(clientCount >= 1) || !(instanceCount >= 2))
  throw new Error("--duration-s must be ≥ 60, --clients ≥ 1 and --instances ≥ 2.");
/** A turn with no frame for this long is counted lost (the client gives up on it and sends it again). */
const stallMs = 60_000;

const redis = await RedisProcess.start();
const primary = new EndlessOpenAIServer();
const secondary = new EndlessOpenAIServer();
const [primaryUrl, secondaryUrl] = await Promise.all([primary.start(), secondary.start()]);
const schema = `rta_soak_${process.pid}`;
const serverEnv = {
  RTA_STORE: "postgres",
  DATABASE_URL: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  RTA_DATABASE_SCHEMA: schema,
  RTA_SESSION_BUS: "redis",
  REDIS_URL: redis.url,
  RTA_PROVIDERS: "openai,openai-compatible",
  OPENAI_API_KEY: "sk-soak-not-a-real-key",
  OPENAI_BASE_URL: primaryUrl,
  RTA_OPENAI_COMPATIBLE_BASE_URL: secondaryUrl,
  RTA_SAFETY: "rules",
  RTA_LOG_LEVEL: "error",
  RTA_MESSAGE_BURST: "1000000",
  RTA_MESSAGES_PER_SECOND: "1000000",
  RTA_MAX_CONNECTIONS_PER_CLIENT: "100000",
  RTA_DRAIN_MS: "5000",
};
const instances: ServerProcess[] = [];
for (let index = 0; index < instanceCount; index++) instances.push(await startServerProcess(serverEnv));
const backends = instances.map((instance) => ({ host: "127.0.0.1", port: Number(new URL(instance.url).port) }));
const proxy = await startRoundRobinProxy(backends);
const base = `ws://${proxy.address}`;

/** Stops instance `index` (SIGKILL, or SIGTERM and its drain) and starts it again on a new port. */
async function restartInstance(index: number, signal: "SIGKILL" | "SIGTERM"): Promise<void> {
  const instance = instances[index]!;
  if (signal === "SIGKILL") instance.child.kill("SIGKILL");
  await instance.stop();
  await pause(2_000);
  instances[index] = await startServerProcess(serverEnv);
  backends[index] = { host: "127.0.0.1", port: Number(new URL(instances[index]!.url).port) };
}

const faults: { name: string; inject: () => Promise<void>; at?: number }[] = [
  { name: "instance killed (SIGKILL) and restarted", inject: () => restartInstance(0, "SIGKILL") },
  {
    name: "Redis killed and restarted (its data lost)",
    inject: async () => {
      await redis.kill();
      await pause(5_000);
      await redis.restart();
    },
  },
  {
    name: "first provider failing (503) for 30 s",
    inject: async () => {
      primary.failing = true;
      await pause(30_000);
      primary.failing = false;
    },
  },
  { name: "instance stopped (SIGTERM, drained) and restarted", inject: () => restartInstance(1, "SIGTERM") },
  {
    name: "instance killed (SIGKILL) and restarted",
    inject: () => restartInstance(2 % instanceCount, "SIGKILL"),
  },
];

const counts = { sent: 0, answered: 0, toldLost: 0, failed: 0, stalled: 0, clientErrors: 0 };
const failures: Record<string, number> = {};
const answers: { client: number; sentAt: number; answeredAt: number }[] = [];
/** The messages answered, per session: each text is sent until answered, and is unique. */
const answeredPerSession = new Map<string, Set<string>>();
let running = true;
const started = performance.now();
const now = () => performance.now() - started;

async function connectRetrying(sessionId: string): Promise<RealtimeClient> {
  for (;;) {
    try {
      return await connect(base, { sessionId, resume: { maxAttempts: 1_000, maxDelayMs: 2_000 } });
    } catch {
      await pause(250);
    }
  }
}

async function converse(index: number): Promise<void> {
  const sessionId = `soak-${process.pid}-${index}`;
  let client = await connectRetrying(sessionId);
  await pause(Math.random() * thinkMs);
  for (let message = 0; running; ) {
    const text = `Message ${message} of client ${index}`;
    counts.sent++;
    const sentAt = now();
    const turn = client.send(text);
    const outcome = await Promise.race([
      turn.done.then(
        (frame) => frame,
        (error: unknown) => error,
      ),
      pause(stallMs).then(() => "stalled" as const),
    ]);
    if (outcome === "stalled") {
      // Neither an answer nor an error: lost. The client starts over on a new connection and sends it again.
      counts.stalled++;
      turn.cancel();
      await client.close();
      client = await connectRetrying(sessionId);
      continue;
    }
    if (outcome instanceof RealtimeClientError) {
      counts.clientErrors++;
      failures[`client ${outcome.code}`] = (failures[`client ${outcome.code}`] ?? 0) + 1;
      await client.close().catch(() => {});
      client = await connectRetrying(sessionId);
      continue;
    }
    const frame = outcome as { type: string; content: { code?: string; outcome?: string } };
    if (frame.type === "agent_response_complete" && frame.content.outcome === "completed") {
      counts.answered++;
      answers.push({ client: index, sentAt, answeredAt: now() });
      answeredPerSession.set(sessionId, (answeredPerSession.get(sessionId) ?? new Set()).add(text));
      message++;
    } else if (frame.content.code === "SERVER_INSTANCE_STOPPED") {
      counts.toldLost++;
      continue;
    } else {
      counts.failed++;
      const code = frame.content.code ?? frame.content.outcome ?? "unknown";
      failures[code] = (failures[code] ?? 0) + 1;
      message++;
    }
    await pause(thinkMs * (0.5 + Math.random()));
  }
  await client.close();
}

const conversations = Array.from({ length: clientCount }, (_, index) => converse(index));
const slot = durationMs / (faults.length + 1);
for (const [position, fault] of faults.entries()) {
  await pause(slot * (position + 1) - now());
  fault.at = now();
  process.stderr.write(`${Math.round(fault.at / 1000)} s: ${fault.name}\n`);
  await fault.inject();
}
await pause(durationMs - now());
running = false;
await Promise.race([Promise.all(conversations), pause(stallMs + 10_000)]);

// Every answered turn should be in PostgreSQL: asked of a live instance (each reads the same database).
let answeredNotStored = 0;
for (const [sessionId, texts] of answeredPerSession) {
  const exported = (await (await fetch(`${instances[0]!.url}/v1/sessions/${sessionId}`)).json()) as {
    turns?: { user_text: string; error?: unknown }[];
  };
  const stored = new Set((exported.turns ?? []).filter((turn) => !turn.error).map((turn) => turn.user_text));
  for (const text of texts) if (!stored.has(text)) answeredNotStored++;
}

/** Until every client had an answer to a message sent after the fault began. */
function recoveryMs(at: number): number | null {
  let latest = 0;
  for (let client = 0; client < clientCount; client++) {
    const first = answers.find((answer) => answer.client === client && answer.sentAt >= at);
    if (!first) return null;
    latest = Math.max(latest, first.answeredAt - at);
  }
  return Math.round(latest);
}

const lost = counts.stalled;
const report = {
  schema_version: 1,
  kind: "soak",
  machine: machineInfo(),
  config: {
    duration_s: durationMs / 1000,
    clients: clientCount,
    instances: instanceCount,
    think_ms: thinkMs,
    stall_ms: stallMs,
  },
  turns: {
    ...counts,
    // Of the messages that got an outcome or were lost: sent again after SERVER_INSTANCE_STOPPED or a client error, a
    // message counts once.
    answered_share: counts.answered / Math.max(1, counts.answered + counts.failed + counts.stalled),
    lost,
    answered_not_stored: answeredNotStored,
    failures,
  },
  faults: faults.map((fault) => ({
    name: fault.name,
    at_s: Math.round((fault.at ?? 0) / 1000),
    recovery_ms: recoveryMs(fault.at ?? 0),
  })),
  provider_requests: { primary: primary.requests, secondary: secondary.requests },
};
const directory = resolve(values.out ?? join("benchmarks/reports", `soak-${report.machine.date.slice(0, 10)}`));
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
const markdown = [
  `# Soak — ${report.machine.date}`,
  "",
  `${instanceCount} instances behind a round-robin proxy, sharing a Redis of the soak's own and PostgreSQL; ${clientCount} clients (typed client, resuming) conversing for ${durationMs / 1000} s with about ${thinkMs} ms between an answer and the next message; provider chain: two loopback OpenAI-compatible servers (12 chunks, 15 ms apart). A turn with no frame for ${stallMs / 1000} s counts as lost.`,
  "",
  "| turns sent | answered | share answered | told lost (SERVER_INSTANCE_STOPPED, sent again) | failed (error frame) | client errors (reconnected, sent again) | **lost** | answered, not in PostgreSQL |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
  `| ${counts.sent} | ${counts.answered} | ${(report.turns.answered_share * 100).toFixed(3)} % | ${counts.toldLost} | ${counts.failed} | ${counts.clientErrors} | **${lost}** | ${report.turns.answered_not_stored} |`,
  "",
  "| fault | at (s) | recovery: every client answered again (ms) |",
  "| --- | --- | --- |",
  ...report.faults.map((fault) => `| ${fault.name} | ${fault.at_s} | ${fault.recovery_ms ?? "not recovered"} |`),
  "",
  `Failures by code: ${JSON.stringify(failures)}. Provider requests: first ${primary.requests}, second ${secondary.requests}.`,
  "",
].join("\n");
writeFileSync(join(directory, "report.md"), markdown);
process.stdout.write(markdown);

await proxy.close();
await Promise.all(instances.map((instance) => instance.stop()));
await Promise.all([primary.close(), secondary.close(), redis.kill()]);
process.exit(lost === 0 && report.turns.answered_not_stored === 0 ? 0 : 1);

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
