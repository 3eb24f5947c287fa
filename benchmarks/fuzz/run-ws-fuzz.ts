import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startServerProcess } from "../../server/server-process.ts";
import { machineInfo } from "../machine-info.ts";
import { type FuzzReport, runWsFuzz } from "./ws-fuzz.ts";

/**
 * `node --import tsx benchmarks/fuzz/run-ws-fuzz.ts [--frames N] [--clients N] [--out DIR]`: starts
 * `rta serve` as its own process on the synthetic model, fuzzes its WebSocket and writes report.json
 * and report.md. Exit 1 when the server crashed, a frame went unanswered or a connection is unusable.
 */
export async function fuzzServerProcess(options: {
  frames: number;
  clients: number;
  nonReading: number;
  env?: Record<string, string>;
}): Promise<FuzzReport & { server_crashed: boolean }> {
  const server = await startServerProcess({ RTA_MODEL: "synthetic", RTA_SYNTHETIC_TOKENS: "5", ...options.env });
  try {
    const report = await runWsFuzz({
      url: server.wsUrl,
      httpUrl: server.url,
      frames: options.frames,
      clients: options.clients,
      nonReading: options.nonReading,
    });
    return { ...report, server_crashed: server.child.exitCode !== null || server.child.signalCode !== null };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      frames: { type: "string", default: "10000" },
      clients: { type: "string", default: "16" },
      "non-reading": { type: "string", default: "4" },
      // The message rate limit answers most of a flood with RATE_LIMITED; lifted, every message runs a turn.
      "no-rate-limit": { type: "boolean" },
      out: { type: "string" },
    },
  });
  const report = await fuzzServerProcess({
    frames: Number(values.frames),
    clients: Number(values.clients),
    nonReading: Number(values["non-reading"]),
    ...(values["no-rate-limit"] ? { env: { RTA_MESSAGE_BURST: "1000000", RTA_MESSAGES_PER_SECOND: "1000000" } } : {}),
  });
  const out = values.out ?? join("benchmarks", "reports", `fuzz-${new Date().toISOString().slice(0, 10)}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "report.json"), `${JSON.stringify({ machine: machineInfo(), ...report }, null, 2)}\n`);
  const rows = Object.entries(report)
    .map(
      ([key, value]) =>
        `| ${key} | ${typeof value === "object" ? JSON.stringify(value) : typeof value === "number" ? Number(value.toFixed(2)) : value} |`,
    )
    .join("\n");
  writeFileSync(join(out, "report.md"), `# WebSocket fuzz run\n\n| figure | value |\n| --- | --- |\n${rows}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\nreport: ${join(out, "report.md")}\n`);
  const failed =
    report.server_crashed ||
    report.unanswered > 0 ||
    report.connections_usable_after.usable < report.connections_usable_after.of;
  process.exitCode = failed ? 1 : 0;
}
