import hdr from "hdr-histogram-js";
import { parseServerFrame } from "realtime-agent/client";
import WebSocket from "ws";
import { ServerSampler, type ServerSample } from "./server-sampler.ts";

export interface LoadOptions {
  /** ws://host:port of each instance (the generator appends /ws/<session>); clients go to them in turn. */
  wsBases: readonly string[];
  /** http://host:port of each instance, for /metrics. */
  httpBases: readonly string[];
  clients: number;
  messagesPerClient: number;
  /** Chunks each answer should have; checked for loss. */
  expectedChunks: number;
  /** Stop sending new messages after this long. */
  timeLimitMs: number;
  /**
   * A client's pause between an answer and its next message, drawn uniformly from 0.5–1.5× this (and
   * before its first, from 0–1×), as people pause to read; 0 sends the next message at once.
   */
  thinkMs?: number;
  /** The model's own time for one answer: what the platform adds is the total latency less this. */
  modelMs?: number;
}

export interface LatencySummary {
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
}

export interface LoadResult {
  clients: number;
  messages_sent: number;
  messages_completed: number;
  errors: number;
  duration_s: number;
  messages_per_s: number;
  frames_received: number;
  frames_per_s: number;
  /** From sending a message to its first `agent_response_chunk`, as the client sees it. */
  time_to_first_token: LatencySummary;
  total_latency: LatencySummary;
  /** Total latency less the model's own time (`modelMs`): what the platform and the machine add. */
  added_latency: LatencySummary;
  frames_lost: number;
  frames_duplicated: number;
  frames_out_of_order: number;
  chunks_missing: number;
  instances: number;
  think_ms: number;
  /** CPU seconds used during the run: by this generator, and by the server instances together. */
  cpu_s: { generator: number; servers: number };
  server: { peak_rss_mib: number; peak_event_loop_lag_p99_ms: number; samples: ServerSample[][] };
}

function summarize(histogram: hdr.Histogram): LatencySummary {
  const ms = (microseconds: number) => Math.round(microseconds) / 1000;
  return {
    p50_ms: ms(histogram.getValueAtPercentile(50)),
    p90_ms: ms(histogram.getValueAtPercentile(90)),
    p99_ms: ms(histogram.getValueAtPercentile(99)),
    max_ms: ms(histogram.maxValue),
    mean_ms: ms(histogram.mean),
  };
}

/**
 * N concurrent WebSocket clients, each with its own session, each sending M messages one after the
 * other. Latencies go into HDR histograms (microseconds); every frame's per-session sequence number is
 * checked for gaps, repeats and reordering, and every answer for its full number of chunks.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const firstChunk = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const total = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const added = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const modelMicroseconds = (options.modelMs ?? 0) * 1000;
  const thinkMs = options.thinkMs ?? 0;
  const counters = {
    sent: 0,
    completed: 0,
    errors: 0,
    frames: 0,
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    chunksMissing: 0,
  };
  const samplers = options.httpBases.map((httpBase) => new ServerSampler(httpBase));
  const runId = Math.random().toString(36).slice(2, 8);
  const deadline = performance.now() + options.timeLimitMs;

  const sockets: WebSocket[] = [];
  for (let index = 0; index < options.clients; index += 100) {
    const batch = Array.from(
      { length: Math.min(100, options.clients - index) },
      (_, offset) =>
        new Promise<WebSocket>((resolve, reject) => {
          const wsBase = options.wsBases[(index + offset) % options.wsBases.length]!;
          const socket = new WebSocket(`${wsBase}/ws/load-${runId}-${index + offset}`);
          socket.once("open", () => resolve(socket));
          socket.once("error", reject);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }

  for (const sampler of samplers) sampler.start();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          let lastSeq = 0;
          const seen = new Set<number>();
          let sentAt = 0;
          let firstChunkAt = 0;
          let chunks = 0;
          let remaining = options.messagesPerClient;
          const sendNow = () => {
            if (remaining === 0 || performance.now() > deadline) return resolve();
            remaining--;
            counters.sent++;
            chunks = 0;
            firstChunkAt = 0;
            sentAt = performance.now();
            socket.send(`{"text":"load test message ${remaining}"}`);
          };
          const sendNext = () => {
            if (thinkMs === 0) return sendNow();
            if (remaining === 0 || performance.now() > deadline) return resolve();
            setTimeout(sendNow, thinkMs * (0.5 + Math.random()));
          };
          socket.on("message", (data) => {
            counters.frames++;
            // The protocol's one decoder; what it costs per frame is the ws.decode_server_frame benchmark.
            const frame = parseServerFrame(data.toString());
            if (seen.has(frame.seq)) counters.duplicated++;
            else if (frame.seq < lastSeq) counters.outOfOrder++;
            else if (frame.seq > lastSeq + 1) counters.lost += frame.seq - lastSeq - 1;
            seen.add(frame.seq);
            lastSeq = Math.max(lastSeq, frame.seq);
            if (frame.type === "agent_response_chunk") {
              chunks++;
              if (!firstChunkAt) {
                firstChunkAt = performance.now();
                firstChunk.recordValue(Math.max(1, Math.round((firstChunkAt - sentAt) * 1000)));
              }
            } else if (frame.type === "agent_response_complete" || frame.type === "error") {
              const totalMicroseconds = Math.round((performance.now() - sentAt) * 1000);
              total.recordValue(Math.max(1, totalMicroseconds));
              added.recordValue(Math.max(1, totalMicroseconds - modelMicroseconds));
              if (frame.type === "error") counters.errors++;
              else counters.completed++;
              if (frame.type !== "error" && chunks < options.expectedChunks)
                counters.chunksMissing += options.expectedChunks - chunks;
              sendNext();
            }
          });
          socket.once("close", () => resolve());
          if (thinkMs === 0) sendNow();
          else setTimeout(sendNow, thinkMs * Math.random());
        }),
    ),
  );
  const durationS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const samples = await Promise.all(samplers.map((sampler) => sampler.stop()));
  const serverCpuS = samples.reduce((sum, instance) => {
    const used = (instance.at(-1)?.cpu_s ?? Number.NaN) - (instance[0]?.cpu_s ?? Number.NaN);
    return sum + (Number.isFinite(used) ? used : 0);
  }, 0);
  const everySample = samples.flat();
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          socket.once("close", () => resolve());
          socket.close();
          setTimeout(resolve, 1_000).unref();
        }),
    ),
  );

  return {
    clients: options.clients,
    messages_sent: counters.sent,
    messages_completed: counters.completed,
    errors: counters.errors,
    duration_s: Math.round(durationS * 1000) / 1000,
    messages_per_s: Math.round(counters.completed / durationS),
    frames_received: counters.frames,
    frames_per_s: Math.round(counters.frames / durationS),
    time_to_first_token: summarize(firstChunk),
    total_latency: summarize(total),
    added_latency: summarize(added),
    frames_lost: counters.lost,
    frames_duplicated: counters.duplicated,
    frames_out_of_order: counters.outOfOrder,
    chunks_missing: counters.chunksMissing,
    instances: options.wsBases.length,
    think_ms: thinkMs,
    cpu_s: {
      generator: Math.round((cpu.user + cpu.system) / 10_000) / 100,
      servers: Math.round(serverCpuS * 100) / 100,
    },
    server: {
      peak_rss_mib:
        Math.round(Math.max(0, ...everySample.map((sample) => sample.rss_mib).filter(Number.isFinite)) * 10) / 10,
      peak_event_loop_lag_p99_ms:
        Math.round(
          Math.max(0, ...everySample.map((sample) => sample.event_loop_lag_p99_ms).filter(Number.isFinite)) * 100,
        ) / 100,
      samples,
    },
  };
}
