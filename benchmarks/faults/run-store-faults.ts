import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startStoreFaultServer } from "../../server/test-support/store-fault-server.ts";
import { TestClient } from "../../server/test-support/ws-client.ts";
import { machineInfo } from "../machine-info.ts";

/**
 * `node --import tsx benchmarks/faults/run-store-faults.ts [--clients 8] [--outage-s 30] [--out DIR]`:
 * a server on Redis in front of the machine's PostgreSQL, each behind a TCP proxy; clients converse
 * without pause while Redis is cut for `outage-s`, then PostgreSQL for `outage-s`. Reports turns
 * answered, turns lost (answered but missing from PostgreSQL at the end), how long the buffered writes
 * took to reach the database once it was back, and the `system_event`s clients saw. Exit 1 if any was lost.
 */
const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "8" },
    "outage-s": { type: "string", default: "30" },
    "calm-s": { type: "string", default: "5" },
    // Each client's pause between an answer and its next message (0: as fast as the server answers).
    "think-ms": { type: "string", default: "0" },
    out: { type: "string" },
  },
});
const clientsCount = Number(values.clients);
const outageMs = Number(values["outage-s"]) * 1000;
const calmMs = Number(values["calm-s"]) * 1000;
const thinkMs = Number(values["think-ms"]);
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

let recoveredAt: number | undefined;
const { durable, redisProxy, postgresProxy, ws, close } = await startStoreFaultServer({
  databaseUrl,
  schema: `rta_faults_${process.pid}`,
  keyPrefix: `rta-faults-${process.pid}:`,
  onHealthChange: (health) => {
    if (!health.degraded) recoveredAt = performance.now();
  },
});
const sessions = Array.from({ length: clientsCount }, (_, index) => `faults-${index}`);
const clients = await Promise.all(sessions.map((name) => TestClient.connect(`${ws}/ws/${name}`)));

type Phase = "calm" | "redis cut" | "postgres cut" | "after";
let phase: Phase = "calm";
const answered: Record<Phase, number> = { calm: 0, "redis cut": 0, "postgres cut": 0, after: 0 };
const failed: Record<Phase, number> = { calm: 0, "redis cut": 0, "postgres cut": 0, after: 0 };
const sent = new Map<string, string[]>();
let running = true;
const conversations = clients.map(async (socket, index) => {
  const name = sessions[index] as string;
  const texts: string[] = [];
  sent.set(name, texts);
  for (let turn = 0; running; turn++) {
    const text = `${name} turn ${turn}`;
    const frames = await socket.turn({ type: "user_message", content: { text } });
    const at = phase;
    if (frames.at(-1)?.type === "agent_response_complete") {
      answered[at]++;
      texts.push(text);
    } else failed[at]++;
    if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs));
  }
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
await pause(calmMs);
phase = "redis cut";
redisProxy.cut();
await pause(outageMs);
redisProxy.restore();
phase = "postgres cut";
postgresProxy.cut();
const postgresCutAt = performance.now();
await pause(outageMs);
postgresProxy.restore();
const restoredAt = performance.now();
phase = "after";
await pause(calmMs);
running = false;
await Promise.all(conversations);
const waitStarted = performance.now();
while (durable.health().degraded && performance.now() - waitStarted < 120_000) await pause(100);

let lost = 0;
let stored = 0;
for (const [name, texts] of sent) {
  const history = (await durable.history(name)).map((turn) => turn.userText);
  stored += history.length;
  const missing = texts.filter((text) => !history.includes(text));
  lost += missing.length;
}
const events = new Map<string, number>();
for (const socket of clients)
  for (const frame of socket.frames)
    if (frame.type === "system_event")
      events.set(String(frame.content.event), (events.get(String(frame.content.event)) ?? 0) + 1);

const report = {
  kind: "store-faults",
  machine: machineInfo(),
  config: {
    clients: clientsCount,
    think_ms: thinkMs,
    outage_s: outageMs / 1000,
    calm_s: calmMs / 1000,
    model: "echo (5 ms)",
    buffer: "10,000 writes, flushed 8 sessions at once",
  },
  answered,
  failed,
  answered_total: Object.values(answered).reduce((sum, count) => sum + count, 0),
  stored_in_postgres: stored,
  lost,
  postgres_outage_s: Math.round((restoredAt - postgresCutAt) / 100) / 10,
  buffered_written_within_ms: recoveredAt === undefined ? null : Math.max(0, Math.round(recoveredAt - restoredAt)),
  system_events: Object.fromEntries(events),
};

await Promise.all(clients.map((socket) => socket.close()));
await close();

const markdown = [
  `# Store faults — ${report.machine.date}`,
  "",
  `${clientsCount} clients conversing (${thinkMs ? `${thinkMs} ms between an answer and the next message` : "without pause"}; echo model, 5 ms); Redis cut ${outageMs / 1000} s, then PostgreSQL cut ${outageMs / 1000} s, each through a TCP proxy.`,
  "",
  "| phase | turns answered | turns failed |",
  "| --- | --- | --- |",
  ...(Object.keys(answered) as Phase[]).map((key) => `| ${key} | ${answered[key]} | ${failed[key]} |`),
  "",
  `Answered ${report.answered_total}, in PostgreSQL at the end ${stored}, **lost ${lost}**. Buffered writes reached PostgreSQL ${report.buffered_written_within_ms} ms after it was reachable again. System events seen by clients: ${JSON.stringify(report.system_events)}.`,
  "",
].join("\n");
const directory = values.out ?? join("benchmarks/reports", `faults-${report.machine.date.slice(0, 10)}`);
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(directory, "report.md"), markdown);
process.stdout.write(markdown);
process.exitCode = lost > 0 ? 1 : 0;
