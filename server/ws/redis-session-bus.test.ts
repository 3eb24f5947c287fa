import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { ServerFrameEnvelope } from "realtime-agent/client";
import { silentLogger } from "realtime-agent";
import { afterAll, describe, expect, it } from "vitest";
import { TcpProxy } from "realtime-agent/testing";
import { RedisSessionBus } from "./redis-session-bus.ts";
import { rememberedMessages, type SessionControl, type SessionLog } from "./session-bus.ts";

// Two buses stand for two server instances on the machine's real Redis (127.0.0.1:6379).
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
const buses: RedisSessionBus[] = [];
afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
  await redis.quit();
});

function twoInstances() {
  const prefix = `rta:test:${randomUUID()}:`;
  const pair = [0, 1].map(() => new RedisSessionBus(redis, { logger: silentLogger, prefix }));
  buses.push(...pair);
  return { prefix, first: pair[0]!, second: pair[1]! };
}

const frame = (text: string) => (seq: number) =>
  ({
    message_id: randomUUID(),
    // What looks like a seq inside a string before the envelope's own must not be numbered.
    session_id: 'a "seq":0 name',
    seq,
    type: "agent_response_chunk",
    content: { text, note: '"seq":0 inside a string' },
  }) as unknown as ServerFrameEnvelope;

/** Opens the session and collects what it delivers as [seq, text]. */
async function watch(bus: RedisSessionBus, key: string) {
  const delivered: [number, string][] = [];
  const log: SessionLog = await bus.open(key, (seq, data) => {
    const parsed = JSON.parse(data) as { seq: number; content: { text: string } };
    expect(parsed.seq).toBe(seq);
    delivered.push([seq, parsed.content.text]);
  });
  return { log, delivered };
}

describe("RedisSessionBus", () => {
  it("admits a message id once across instances, and remembers only the session's recent ones", async () => {
    const { prefix, first, second } = twoInstances();
    const a = await watch(first, "owner:resent");
    const b = await watch(second, "owner:resent");
    expect(await a.log.admit("m-1")).toBe(true);
    expect(await b.log.admit("m-1")).toBe(false);
    expect(await a.log.admit("m-1")).toBe(false);
    const other = await watch(second, "owner:another");
    expect(await other.log.admit("m-1")).toBe(true);
    for (let index = 2; index <= rememberedMessages + 1; index++) await b.log.admit(`m-${index}`);
    // m-1 is the 65th id back: Redis forgot it, so a very late resend reaching another instance is answered again.
    const third = new RedisSessionBus(redis, { logger: silentLogger, prefix });
    buses.push(third);
    const c = await watch(third, "owner:resent");
    expect(await c.log.admit("m-1")).toBe(true);
    expect(await c.log.admit(`m-${rememberedMessages + 1}`)).toBe(false);
  });

  it("answers a message within a second while Redis does not answer, and still refuses its resend on this instance", async () => {
    const proxy = await TcpProxy.start(6379);
    const reachable = new Redis({ port: proxy.port, maxRetriesPerRequest: null, enableOfflineQueue: true });
    reachable.on("error", () => undefined);
    const bus = new RedisSessionBus(reachable, {
      logger: silentLogger,
      prefix: `rta:test:${randomUUID()}:`,
      admitTimeoutMs: 300,
    });
    try {
      const { log } = await watch(bus, "owner:outage");
      proxy.cut();
      expect(await log.admit("m-1")).toBe(true);
      expect(await log.admit("m-1")).toBe(false);
    } finally {
      // Closed while Redis is still away: reconnected first, ioredis would re-subscribe, and a
      // re-subscription cut short by the close rejects where nobody listens.
      await bus.close();
      reachable.disconnect();
      proxy.restore();
      await proxy.close();
    }
  });

  it("subscribes again after its connection to Redis dropped, and closes mid-reconnection without a stray rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const proxy = await TcpProxy.start(6379);
    const throughProxy = new Redis({ port: proxy.port, maxRetriesPerRequest: null, enableOfflineQueue: true });
    throughProxy.on("error", () => undefined);
    const prefix = `rta:test:${randomUUID()}:`;
    const direct = new RedisSessionBus(redis, { logger: silentLogger, prefix });
    const proxied = new RedisSessionBus(throughProxy, { logger: silentLogger, prefix });
    buses.push(direct);
    try {
      const a = await watch(direct, "owner:dropped");
      const b = await watch(proxied, "owner:dropped");
      a.log.append(frame("one"));
      await expect.poll(() => b.delivered.length).toBe(1);
      const connections = proxy.accepted;
      proxy.dropConnections();
      // Both of the proxied bus's connections come back (publisher and subscriber).
      await expect.poll(() => proxy.accepted, { timeout: 10_000 }).toBeGreaterThanOrEqual(connections + 2);
      // A new frame reaches the reconnected subscriber by its publication, not only a later catch-up.
      for (let attempt = 0; b.delivered.length < 2 && attempt < 50; attempt++) {
        if (attempt === 0) a.log.append(frame("two"));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(b.delivered.map(([seq, text]) => `${seq} ${text}`)).toEqual(["1 one", "2 two"]);
      // Closed while its subscriber reconnects: nothing rejects unheard.
      proxy.dropConnections();
      await proxied.close();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await proxied.close();
      throughProxy.disconnect();
      await proxy.close();
    }
  });

  it("declares an instance stopped only when its heartbeat was missing on checks in a row for a period", async () => {
    const prefix = `rta:test:${randomUUID()}:`;
    const heartbeatMs = 2_000;
    const bus = new RedisSessionBus(redis, { logger: silentLogger, prefix, heartbeatMs });
    buses.push(bus);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // A turn recorded by an instance that never beats.
    await redis.hset(bus.keysOf("owner:ghost").turns, "t1", JSON.stringify({ instance: "ghost", replyTo: "m1" }));
    expect(await bus.claimLostTurns("owner:ghost")).toEqual({ running: ["t1"], lost: [] });
    // Long after, with no check in between: this absence starts again, it does not go on from the first.
    await sleep(heartbeatMs + 500);
    const restarted = Date.now();
    expect(await bus.claimLostTurns("owner:ghost")).toEqual({ running: ["t1"], lost: [] });
    // Checked in a row (as the gateway does, every 2 s against a 4 s heartbeat): lost after a period.
    let claimed = await bus.claimLostTurns("owner:ghost");
    for (let check = 0; claimed.lost.length === 0 && check < 60; check++) {
      await sleep(200);
      claimed = await bus.claimLostTurns("owner:ghost");
    }
    expect(claimed).toEqual({ running: [], lost: [{ turnId: "t1", replyTo: "m1" }] });
    expect(Date.now() - restarted).toBeGreaterThanOrEqual(heartbeatMs);
  });

  it("numbers frames once for every instance and delivers them to each, in order", async () => {
    const { first, second } = twoInstances();
    const a = await watch(first, "owner:trip");
    const b = await watch(second, "owner:trip");
    a.log.append(frame("one"));
    b.log.append(frame("two"));
    a.log.append(frame("three"));
    await expect.poll(() => b.delivered.length).toBe(3);
    await expect.poll(() => a.delivered.length).toBe(3);
    expect(a.delivered).toEqual(b.delivered);
    expect(a.delivered.map(([seq]) => seq)).toEqual([1, 2, 3]);
    expect(await b.log.lastSeq()).toBe(3);
    const { frames, complete } = await b.log.framesAfter(1);
    expect(complete).toBe(true);
    expect(frames.map((data) => JSON.parse(data).seq)).toEqual([2, 3]);
  });

  it("reads a frame whose publication it missed back from the stream before the next one", async () => {
    const { prefix, first, second } = twoInstances();
    const a = await watch(first, "owner:gap");
    const b = await watch(second, "owner:gap");
    a.log.append(frame("one"));
    await expect.poll(() => b.delivered.length).toBe(1);
    // Frame 2 is numbered and kept but its publication never arrives (a subscriber reconnecting).
    const tag = `${prefix}{owner:gap}`;
    await redis.hincrby(`${tag}:count`, "n", 1);
    await redis.xadd(`${tag}:frames`, "0-2", "d", JSON.stringify(frame("two")(2)));
    a.log.append(frame("three"));
    await expect.poll(() => b.delivered.length).toBe(3);
    expect(b.delivered.map(([seq, text]) => `${seq} ${text}`)).toEqual(["1 one", "2 two", "3 three"]);
  });

  it("goes on from the numbers it has seen when Redis lost the session's keys, and says what was lost", async () => {
    const { prefix, first } = twoInstances();
    const a = await watch(first, "owner:lost");
    for (const text of ["one", "two", "three"]) a.log.append(frame(text));
    await expect.poll(() => a.delivered.length).toBe(3);
    await redis.del(`${prefix}{owner:lost}:count`, `${prefix}{owner:lost}:frames`);
    a.log.append(frame("four"));
    await expect.poll(() => a.delivered.length).toBe(4);
    expect(a.delivered.at(-1)).toEqual([4, "four"]);
    const { frames, complete } = await a.log.framesAfter(1);
    expect(complete).toBe(false);
    expect(frames.map((data) => JSON.parse(data).seq)).toEqual([4]);
  });

  it("numbers after the stream's last frame when the count alone was evicted", async () => {
    const { prefix, first, second } = twoInstances();
    const a = await watch(first, "owner:evicted");
    for (const text of ["one", "two", "three"]) a.log.append(frame(text));
    await expect.poll(() => a.delivered.length).toBe(3);
    await redis.del(`${prefix}{owner:evicted}:count`);
    // An instance that opens the session now knows no number; the stream still holds 1-3.
    const b = await watch(second, "owner:evicted");
    b.log.append(frame("four"));
    await expect.poll(() => a.delivered.length).toBe(4);
    expect(a.delivered.at(-1)).toEqual([4, "four"]);
    expect(b.delivered).toEqual([[4, "four"]]);
  });

  it("takes a numbering that Redis started again (data lost) as new frames on every instance", async () => {
    const { prefix, first, second } = twoInstances();
    const a = await watch(first, "owner:reset");
    for (const text of ["one", "two", "three"]) a.log.append(frame(text));
    await expect.poll(() => a.delivered.length).toBe(3);
    const tag = `${prefix}{owner:reset}`;
    await redis.del(`${tag}:count`, `${tag}:frames`);
    // Another instance, that never saw the session, runs a turn: numbering starts at 1 again.
    const b = await watch(second, "owner:reset");
    b.log.append(frame("again"));
    await expect.poll(() => a.delivered.length).toBe(4);
    expect(a.delivered.at(-1)).toEqual([1, "again"]);
    expect(b.delivered).toEqual([[1, "again"]]);
  });

  it("tells every instance of a cancel, and which instances watch a session", async () => {
    const { prefix, first, second } = twoInstances();
    const heard: SessionControl[][] = [[], []];
    first.onControl((message) => heard[0]!.push(message));
    second.onControl((message) => heard[1]!.push(message));
    await Promise.all([first.ready(), second.ready()]);
    // Another version's message, or a malformed one, is ignored: it neither reaches handlers nor throws.
    await redis.publish(`${prefix}control`, JSON.stringify({ kind: "forget" }));
    await redis.publish(`${prefix}control`, "not json");
    first.control({ kind: "cancel", sessionKey: "owner:c", turnIds: ["t1"] });
    await expect.poll(() => heard[1]!.length).toBe(1);
    await expect.poll(() => heard[0]!.length).toBe(1);
    expect(heard[1]).toEqual([{ kind: "cancel", sessionKey: "owner:c", turnIds: ["t1"] }]);

    expect(await second.watchedElsewhere("owner:c")).toBe(false);
    first.setWatched("owner:c", true);
    await expect.poll(() => second.watchedElsewhere("owner:c")).toBe(true);
    expect(await first.watchedElsewhere("owner:c")).toBe(false);
    first.setWatched("owner:c", false);
    await expect.poll(() => second.watchedElsewhere("owner:c")).toBe(false);
  });

  it("drops a forgotten session's frames and numbering", async () => {
    const { prefix, first, second } = twoInstances();
    const a = await watch(first, "owner:gone");
    a.log.append(frame("one"));
    await expect.poll(() => a.delivered.length).toBe(1);
    second.control({ kind: "forget", sessionKeys: ["owner:gone"] });
    await expect.poll(() => redis.exists(`${prefix}{owner:gone}:count`, `${prefix}{owner:gone}:frames`)).toBe(0);
    // A frame still on its way from a log opened before the deletion (an aborted turn ending on
    // another instance) does not bring the keys back…
    a.log.append(frame("late"));
    await a.log.lastSeq(); // the same connection: the append has run
    expect(await redis.exists(`${prefix}{owner:gone}:count`, `${prefix}{owner:gone}:frames`)).toBe(0);
    expect(a.delivered).toHaveLength(1);
    // …while a session opened again under the same key afterwards is numbered afresh.
    const again = await watch(second, "owner:gone");
    again.log.append(frame("new"));
    await expect.poll(() => again.delivered).toEqual([[1, "new"]]);
    // Deleted again: that log's late frames are dropped in turn.
    first.control({ kind: "forget", sessionKeys: ["owner:gone"] });
    await expect.poll(() => redis.exists(`${prefix}{owner:gone}:count`, `${prefix}{owner:gone}:frames`)).toBe(0);
    again.log.append(frame("late again"));
    await again.log.lastSeq();
    expect(await redis.exists(`${prefix}{owner:gone}:count`, `${prefix}{owner:gone}:frames`)).toBe(0);
  });

  it("fails to open a session when Redis does not answer, instead of waiting for ever", async () => {
    const down = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    down.on("error", () => undefined);
    const bus = new RedisSessionBus(down, { logger: silentLogger, openTimeoutMs: 200 });
    buses.push(bus);
    await expect(bus.open("owner:s", () => {})).rejects.toThrow("did not answer");
  });
});
