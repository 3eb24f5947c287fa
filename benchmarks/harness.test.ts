import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, silentLogger } from "realtime-agent";
import { SyntheticModel } from "realtime-agent/testing";
import { createAgentServer, type AgentServer } from "../server/app.ts";
import { runLoad } from "./load/load-generator.ts";
import { buildBenchReport, compareBench, readBenchBaseline, writeBenchReport } from "./report.ts";
import { runBenchmarks } from "./run-benchmarks.ts";
import { frameworkBenchmarks } from "./suites/framework.ts";

// Benchmarks are not tests: these only check that the harnesses run and write well-formed reports.
// No assertion here is about how fast anything is.
describe("benchmark harness", () => {
  it("runs tinybench suites and writes report.json, report.md and report.html", async () => {
    const definitions = frameworkBenchmarks().filter((definition) =>
      ["turn.text_only", "ws.encode_chunk_frame"].includes(definition.name),
    );
    const results = await runBenchmarks(definitions, { quick: true });
    const report = buildBenchReport(results, true);
    report.comparison = compareBench(report, report);
    const directory = mkdtempSync(join(tmpdir(), "rta-bench-"));
    const paths = writeBenchReport(report, directory);
    const json = JSON.parse(readFileSync(paths.json, "utf8"));
    expect(json.machine).toEqual(
      expect.objectContaining({
        cores: expect.any(Number),
        cpu_model: expect.any(String),
        memory_gib: expect.any(Number),
        node: process.version,
        date: expect.any(String),
      }),
    );
    for (const result of json.benchmarks) {
      expect(Object.keys(result)).toEqual(
        expect.arrayContaining(["name", "unit", "samples", "p50", "p95", "p99", "mean", "ops_per_s"]),
      );
      expect(result.samples).toBeGreaterThan(10);
      expect(result.p50).toBeLessThanOrEqual(result.p99);
    }
    expect(json.comparison.map((comparison: { ratio: number }) => comparison.ratio)).toEqual([1, 1]);
    expect(readFileSync(paths.markdown, "utf8")).toContain("| turn.text_only |");
    expect(readFileSync(paths.html, "utf8")).toContain("<svg");
  });
});

describe("benchmarks that measure their own figure", () => {
  it("reports what each sample measured (a first token), not how long the sample ran", async () => {
    let sample = 0;
    const [result] = await runBenchmarks(
      [
        {
          name: "turn.first_token",
          unit: "ms to first token",
          group: "test",
          iterations: 6,
          // Each run takes a few milliseconds of work but reports 1000 + its index: the report must say so.
          run: () => {
            const started = performance.now();
            while (performance.now() - started < 2);
            return { firstTokenMs: 1000 + sample++ };
          },
          measure: (value) => (value as { firstTokenMs: number }).firstTokenMs,
        },
      ],
      { quick: false },
    );
    // One warm-up run, then six samples: 1001…1006.
    expect(result).toMatchObject({ samples: 6, min: 1001, max: 1006, mean: 1003.5 });
    expect(result!.p50).toBeCloseTo(1003.5, 5);
    expect(result!.ops_per_s).toBeCloseTo(1000 / 1003.5, 8);
  });
});

describe("benchmark baselines", () => {
  it("compares with a committed version 1 report as well as with a new one", async () => {
    const before = readBenchBaseline(
      fileURLToPath(new URL("./reports/bench-2026-11-27-before-groundwork/report.json", import.meta.url)),
    );
    expect(before.benchmarks.map((result) => result.name)).toContain("turn.text_only");
    const results = await runBenchmarks(
      frameworkBenchmarks().filter((definition) => definition.name === "ws.encode_chunk_frame"),
      { quick: true },
    );
    const report = buildBenchReport(results, true);
    const [comparison] = compareBench(report, before);
    expect(comparison).toMatchObject({ name: "ws.encode_chunk_frame", baseline_p50: expect.any(Number) });
    expect(comparison!.ratio).toBeGreaterThan(0);

    const directory = mkdtempSync(join(tmpdir(), "rta-bench-"));
    const { json } = writeBenchReport(report, directory);
    expect(readBenchBaseline(json).benchmarks).toHaveLength(1);
    writeFileSync(json, JSON.stringify({ schema_version: 2, kind: "load", levels: [] }));
    expect(() => readBenchBaseline(json)).toThrow(/is not a benchmark report/);
  });
});

describe("WebSocket load generator", () => {
  const servers: AgentServer[] = [];
  const ports: number[] = [];
  beforeAll(async () => {
    for (let index = 0; index < 2; index++) {
      const agent = new Agent({ model: SyntheticModel.streaming({ tokens: 5 }) });
      const server = createAgentServer({ agent, logger: silentLogger });
      servers.push(server);
      ports.push((await server.listen(0)).port);
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it("runs clients × messages over every instance and accounts for every frame", async () => {
    const result = await runLoad({
      wsBases: ports.map((port) => `ws://127.0.0.1:${port}`),
      httpBases: ports.map((port) => `http://127.0.0.1:${port}`),
      clients: 4,
      messagesPerClient: 3,
      expectedChunks: 5,
      timeLimitMs: 30_000,
      thinkMs: 5,
    });
    expect(result).toMatchObject({
      clients: 4,
      instances: 2,
      think_ms: 5,
      messages_sent: 12,
      messages_completed: 12,
      errors: 0,
      frames_lost: 0,
      frames_duplicated: 0,
      frames_out_of_order: 0,
      chunks_missing: 0,
    });
    // turn_start + 5 chunks + complete per message
    expect(result.frames_received).toBe(12 * 7);
    expect(result.total_latency.p50_ms).toBeLessThanOrEqual(result.total_latency.p99_ms);
    expect(result.time_to_first_token.p50_ms).toBeLessThanOrEqual(result.time_to_first_token.p99_ms);
    // Without a model time, all of the latency is added latency.
    expect(result.added_latency.p99_ms).toBe(result.total_latency.p99_ms);
    expect(result.server.samples.map((instance) => instance.length > 0)).toEqual([true, true]);
    expect(result.cpu_s.generator).toBeGreaterThan(0);
    // Clients went to both instances: each ran half of the messages.
    for (const server of servers) expect((await server.metrics.messages.get()).values[0]?.value).toBe(6);
  });
});
