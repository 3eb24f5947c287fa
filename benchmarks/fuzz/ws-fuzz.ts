import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { ServerSampler } from "../load/server-sampler.ts";

/**
 * Throws hostile and broken frames at a running server over real WebSockets and counts what came
 * back. Every frame that asks for an answer (a message, good or broken) must get exactly one: a
 * finished turn or an error frame. Frames over the hard limit, and text that is not UTF-8, close the
 * connection by design (1009, 1007): those are counted, and the fuzzer reconnects. Some clients never
 * read. At the end: did the server survive, is every connection still usable, what did it cost.
 */
export interface FuzzOptions {
  /** ws://host:port of the server. */
  url: string;
  /** http://host:port, for /metrics. */
  httpUrl: string;
  frames: number;
  clients: number;
  /** Clients that send and never read. */
  nonReading?: number;
  seed?: number;
}

export interface FuzzReport {
  frames_sent: number;
  /** Frames that ask for an answer (messages, good or broken; not cancels, nor frames that close by design). */
  frames_expecting_answer: number;
  answered: number;
  /** Unanswered frames on connections the server had no reason to close: must be 0. */
  unanswered: number;
  /** What the answers were: finished turns, or error frames by code. */
  answers_by_type: Record<string, number>;
  /** Messages sent before a frame that closes the connection by design, whose answers went with it (resumable). */
  unanswered_on_connections_closed_by_design: number;
  by_kind: Record<string, number>;
  closes_by_code: Record<string, number>;
  connections_usable_after: { usable: number; of: number };
  rss_mib_before: number;
  rss_mib_after: number;
  rss_mib_peak: number;
  event_loop_lag_p99_ms_max: number;
  duration_s: number;
}

type Kind =
  | "short_form"
  | "envelope"
  | "cancel"
  | "binary"
  | "invalid_utf8"
  | "malformed_json"
  | "deep_json"
  | "wrong_types"
  | "empty_text"
  | "soft_oversize"
  | "hard_oversize"
  | "unicode_noise";

/** Kinds, with how often each is drawn. The rest of the frames are floods of valid messages. */
const kinds: Array<[Kind, number]> = [
  ["short_form", 20],
  ["envelope", 15],
  ["cancel", 5],
  ["binary", 8],
  ["invalid_utf8", 3],
  ["malformed_json", 12],
  ["deep_json", 8],
  ["wrong_types", 12],
  ["empty_text", 5],
  ["soft_oversize", 4],
  ["hard_oversize", 1],
  ["unicode_noise", 7],
];

/** A small deterministic generator (mulberry32), so that a run can be repeated. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Frames after which the server closes the connection by design. */
const closingKinds = new Set<Kind>(["invalid_utf8", "hard_oversize"]);

function frameOf(
  kind: Kind,
  random: () => number,
  index: number,
): { data: string | Buffer; binary: boolean; answer: boolean } {
  const text = (value: unknown) => ({ data: JSON.stringify(value), binary: false, answer: true });
  switch (kind) {
    case "short_form":
      return text({ text: `fuzz ${index}` });
    case "envelope":
      return text({ type: "user_message", content: { text: `fuzz ${index}` }, message_id: `m${index}` });
    case "cancel":
      return { data: JSON.stringify({ type: "cancel" }), binary: false, answer: false };
    case "binary":
      return { data: randomBytes(1 + Math.floor(random() * 512)), binary: true, answer: true };
    case "invalid_utf8":
      return { data: Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]), binary: false, answer: false };
    case "malformed_json":
      return {
        data: ["{", '{"text": ', "[1,2", '{"text": "x"', "null", "", "\u0000"][index % 7]!,
        binary: false,
        answer: true,
      };
    case "deep_json": {
      const depth = 100 + Math.floor(random() * 20_000);
      return {
        data: `{"text": "x", "context": ${"[".repeat(depth)}${"]".repeat(depth)}}`,
        binary: false,
        answer: true,
      };
    }
    case "wrong_types":
      return text(
        [
          { text: 5 },
          { text: null },
          { type: "user_message", content: { text: [] } },
          { type: "user_message" },
          { type: "nonsense" },
          [],
          "just a string",
          { text: "x", extra: true },
          { __proto__: { text: "polluted" } },
        ][index % 9],
      );
    case "empty_text":
      return text({ text: "   " });
    case "soft_oversize":
      return text({ text: "x".repeat(70_000 + Math.floor(random() * 100_000)) });
    case "hard_oversize":
      return { data: JSON.stringify({ text: "x".repeat(1_100_000) }), binary: false, answer: false };
    case "unicode_noise":
      return text({
        text: Array.from({ length: 40 }, () => String.fromCodePoint(Math.floor(random() * 0x10ffff) & 0xd7ff)).join(""),
      });
  }
}

function pick(random: () => number): Kind {
  const total = kinds.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [kind, weight] of kinds) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return "short_form";
}

interface Client {
  socket: WebSocket;
  expected: number;
  answered: number;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
    socket.once("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}

/** What ends one client message's answer: a finished turn, or an error frame (by its code); else undefined. */
function answerType(raw: string): string | undefined {
  const frame = JSON.parse(raw) as { type: string; content: { code?: string } };
  if (frame.type === "agent_response_complete") return frame.type;
  return frame.type === "error" ? `error ${frame.content.code}` : undefined;
}

export async function runWsFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const random = generator(options.seed ?? 1);
  const started = performance.now();
  const sampler = new ServerSampler(options.httpUrl);
  sampler.start(200);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rssBefore = sampler.samples.at(-1)?.rss_mib ?? Number.NaN;
  const byKind: Record<string, number> = {};
  const answersByType: Record<string, number> = {};
  const closes: Record<string, number> = {};
  const retired: Client[] = [];
  const connect = async (index: number): Promise<Client> => {
    const socket = await open(`${options.url}/ws/fuzz-${index}`);
    const client: Client = { socket, expected: 0, answered: 0 };
    socket.on("message", (data) => {
      const type = answerType(`${data}`);
      if (type === undefined) return;
      client.answered++;
      answersByType[type] = (answersByType[type] ?? 0) + 1;
    });
    socket.on("close", (code) => {
      closes[code] = (closes[code] ?? 0) + 1;
    });
    return client;
  };
  const clients = await Promise.all(Array.from({ length: options.clients }, (_, index) => connect(index)));
  // Clients that never read: they send messages and leave their answers in the server's buffers.
  const silent = await Promise.all(
    Array.from({ length: options.nonReading ?? 0 }, async (_, index) => {
      const socket = await open(`${options.url}/ws/silent-${index}`);
      (socket as unknown as { _socket: { pause(): void } })._socket.pause();
      return socket;
    }),
  );
  let sent = 0;
  let expecting = 0;
  const unexpectedlyClosed: Client[] = [];
  for (let index = 0; sent < options.frames; index++) {
    const slot = index % clients.length;
    let client = clients[slot]!;
    if (client.socket.readyState !== WebSocket.OPEN) {
      // Closed by the server though nothing asked for it: its unanswered frames still count.
      unexpectedlyClosed.push(client);
      client = await connect(slot + 1_000 * index);
      clients[slot] = client;
    }
    // One frame in ten is a flood: 30 valid messages at once.
    const burst = random() < 0.1 ? 30 : 1;
    for (let repeat = 0; repeat < burst && sent < options.frames; repeat++) {
      const kind = burst > 1 ? "short_form" : pick(random);
      const frame = frameOf(kind, random, sent);
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      client.socket.send(frame.data, { binary: frame.binary });
      if (frame.answer) {
        client.expected++;
        expecting++;
      }
      sent++;
      if (closingKinds.has(kind)) {
        // This connection is closed by design now: use a new one for what follows.
        retired.push(client);
        client = await connect(slot + 1_000 * index + repeat);
        clients[slot] = client;
      }
    }
    for (const socket of silent) if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ text: "hi" }));
    if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  // Let the answers arrive: until every client has all of its answers, or nothing moved for 10 s.
  const everyone = () => [...clients, ...unexpectedlyClosed, ...retired];
  let last = -1;
  let still = 0;
  while (still < 100) {
    const answered = everyone().reduce((sum, client) => sum + client.answered, 0);
    if (answered >= expecting) break;
    still = answered === last ? still + 1 : 0;
    last = answered;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const live = [...clients, ...unexpectedlyClosed];
  const all = [...live, ...retired];
  const answered = all.reduce((sum, client) => sum + Math.min(client.answered, client.expected), 0);
  const countedExpected = all.reduce((sum, client) => sum + client.expected, 0);
  const unansweredLive = live.reduce((sum, client) => sum + Math.max(0, client.expected - client.answered), 0);
  const lostWithClose = retired.reduce((sum, client) => sum + Math.max(0, client.expected - client.answered), 0);
  // Usable after: each open client gets an answer to one more message.
  let usable = 0;
  const current = clients;
  await Promise.all(
    current.map(async (client) => {
      if (client.socket.readyState !== WebSocket.OPEN) return;
      const answer = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 30_000);
        client.socket.on("message", (data) => {
          const frame = JSON.parse(`${data}`) as { type: string; context?: { reply_to?: string } };
          // A finished turn, or RATE_LIMITED: either way a live connection that answers.
          if (
            frame.context?.reply_to === "final" &&
            (frame.type === "agent_response_complete" || frame.type === "error")
          ) {
            clearTimeout(timer);
            resolve(true);
          }
        });
      });
      client.socket.send(
        JSON.stringify({ type: "user_message", content: { text: "still there?" }, message_id: "final" }),
      );
      if (await answer) usable++;
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  sampler.stop();
  const samples = sampler.samples;
  for (const client of current) client.socket.close();
  for (const socket of silent) socket.terminate();
  return {
    frames_sent: sent,
    frames_expecting_answer: countedExpected,
    answered,
    unanswered: unansweredLive,
    answers_by_type: answersByType,
    unanswered_on_connections_closed_by_design: lostWithClose,
    by_kind: byKind,
    closes_by_code: closes,
    connections_usable_after: { usable, of: current.length },
    rss_mib_before: rssBefore,
    rss_mib_after: samples.at(-1)?.rss_mib ?? Number.NaN,
    rss_mib_peak: Math.max(...samples.map((sample) => sample.rss_mib)),
    event_loop_lag_p99_ms_max: Math.max(...samples.map((sample) => sample.event_loop_lag_p99_ms)),
    duration_s: (performance.now() - started) / 1000,
  };
}
