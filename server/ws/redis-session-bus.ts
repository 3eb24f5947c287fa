import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "realtime-agent";
import {
  defaultReplayWindow,
  type FrameBuilder,
  type FrameListener,
  type LostTurn,
  type SessionBus,
  type SessionControl,
  type SessionLog,
  rememberedMessages,
} from "./session-bus.ts";

/**
 * Numbers a frame, keeps it in the session's stream (entry id `0-<seq>`, so that resuming reads by
 * sequence number) and publishes it as `<seq> <epoch> <frame>`. The count and its epoch live in one
 * hash (evicted or expired together). A count that is new (or was evicted)
 * goes on after the stream's last frame and after the highest number the caller has seen (ARGV[6]),
 * so numbers clients hold are not given again while anything remembers them. The epoch names the
 * count: when Redis lost both (restarted without persistence, or 24 h unused), numbering starts again
 * under a new epoch, and subscribers that see it know the lower numbers are new frames.
 * A frame from a log opened before the session was last deleted is dropped: KEYS[3] holds the
 * deletion's token, ARGV[7] the token the log found when it opened ("" for none). An aborted turn's
 * last frames on another instance must not bring a deleted session's keys back. Returns -1 then.
 */
const appendFrameScript = `
local gone = redis.call('GET', KEYS[3])
if gone and gone ~= ARGV[7] then return -1 end
local seq = redis.call('HINCRBY', KEYS[1], 'n', 1)
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local floor = tonumber(ARGV[6])
if not epoch then
  local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
  if top then floor = math.max(floor, tonumber(string.sub(top[1], 3))) end
  local now = redis.call('TIME')
  epoch = now[1] .. now[2]
  redis.call('HSET', KEYS[1], 'epoch', epoch)
end
if seq <= floor then
  seq = floor + 1
  redis.call('HSET', KEYS[1], 'n', seq)
end
local data = ARGV[1] .. seq .. ARGV[2]
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '0-' .. seq, 'd', data)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], seq .. ' ' .. epoch .. ' ' .. data)
return seq`;

/**
 * Deletes a session's keys (KEYS[2…]) and leaves a tombstone in KEYS[1]: a new token (ARGV[1]) for
 * ARGV[2] s. A token, not a time: no clock to go back or to differ between nodes.
 */
const forgetSessionScript = `
redis.call('DEL', unpack(KEYS, 2))
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

/** How long a deleted session's late frames are refused (its keys' tombstone). */
const tombstoneSeconds = 60 * 60;

type AppendingRedis = Redis & {
  rtaAppendFrame(
    countKey: string,
    streamKey: string,
    goneKey: string,
    head: string,
    tail: string,
    maxFrames: number,
    ttlSeconds: number,
    channel: string,
    floor: number,
    tombstoneSeen: string,
  ): Promise<number>;
  rtaForgetSession(goneKey: string, ...keysAndTtl: (string | number)[]): Promise<number>;
};

export interface RedisSessionBusOptions {
  logger: Logger;
  /** Key and channel prefix (default "rta:bus:"). */
  prefix?: string;
  /** Frames kept per session for resuming clients (default 2,048). */
  replayFrames?: number;
  /** A session's frames and numbering expire this long after its last frame (default 24 h). */
  ttlSeconds?: number;
  /** How long an instance counts as watching a session without renewing it (default 90 s). */
  watchLeaseMs?: number;
  /**
   * An instance whose heartbeat is this old has stopped: its running turns are lost (default 4 s; it
   * beats three times a period, and counts as stopped once another instance has missed it a period).
   */
  heartbeatMs?: number;
  /** Opening a session fails after this long without Redis (default 5 s). */
  openTimeoutMs?: number;
  /** How long a message waits for Redis to say whether its id is new (default 1 s; then it is answered). */
  admitTimeoutMs?: number;
}

/**
 * Sessions shared by several server instances over Redis: each frame is numbered and kept in a
 * stream by one script, and published to the instances that opened the session. Pub/sub is only the
 * wake-up; the stream is the record: a frame missed while the subscriber reconnected is read back from
 * it before the next one is delivered, so every socket gets every frame once, in order.
 */
export class RedisSessionBus implements SessionBus {
  readonly shared = true;
  readonly instanceId = randomUUID();
  readonly #publisher: AppendingRedis;
  readonly #subscriber: Redis;
  readonly #logger: Logger;
  readonly #prefix: string;
  readonly #replayFrames: number;
  readonly #ttlSeconds: number;
  readonly #watchLeaseMs: number;
  readonly #logs = new Map<string, RedisSessionLog>();
  readonly #handlers: ((message: SessionControl) => void)[] = [];
  readonly #watched = new Set<string>();
  readonly #renewal: NodeJS.Timeout;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #heartbeatMs: number;
  readonly #openTimeoutMs: number;
  readonly #admitTimeoutMs: number;
  readonly #subscribed: Promise<unknown>;

  /** `redis` is only duplicated: frames wait in the publisher's queue while Redis is away, and are not lost. */
  constructor(redis: Redis, options: RedisSessionBusOptions) {
    this.#logger = options.logger;
    this.#prefix = options.prefix ?? "rta:bus:";
    this.#replayFrames = options.replayFrames ?? defaultReplayWindow.frames;
    this.#ttlSeconds = options.ttlSeconds ?? 24 * 60 * 60;
    this.#watchLeaseMs = options.watchLeaseMs ?? 90_000;
    // Auto-pipelined: the frames appended in one turn of the event loop leave in one write (one write
    // per frame was a third of the server's time under load).
    this.#publisher = redis.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      enableAutoPipelining: true,
    }) as AppendingRedis;
    this.#publisher.defineCommand("rtaAppendFrame", { numberOfKeys: 3, lua: appendFrameScript });
    this.#publisher.defineCommand("rtaForgetSession", { numberOfKeys: 6, lua: forgetSessionScript });
    // Re-subscribed by the bus after a reconnection, not by ioredis: its own re-subscription's promise
    // has no handler, and a connection closed before it is answered rejected it where nobody listens
    // (an unhandled rejection ends the process).
    this.#subscriber = redis.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      autoResubscribe: false,
    });
    for (const connection of [this.#publisher, this.#subscriber])
      connection.on("error", (error: Error) =>
        this.#logger.warn("session bus: redis unavailable", { error: error.message }),
      );
    this.#subscriber.on("message", (channel: string, message: string) => this.#onMessage(channel, message));
    // After a reconnection every open session reads what it missed, even if no new frame comes: once
    // the re-subscriptions are answered (a PING sent after them), so that nothing falls in between.
    this.#subscriber.on("ready", () => {
      this.#beat();
      // Idempotent: on the first connection the constructor's and open()'s subscriptions wait in the
      // offline queue; after a reconnection nothing is subscribed any more.
      this.#subscriber
        .subscribe(this.#controlChannel, ...this.#logs.keys())
        .catch((error: Error) => this.#logger.warn("session bus: not re-subscribed", { error: error.message }));
      this.#subscriber.ping().then(
        () => {
          for (const log of this.#logs.values()) log.catchUp();
        },
        () => {},
      );
    });
    this.#subscribed = this.#subscriber.subscribe(this.#controlChannel);
    this.#renewal = setInterval(() => this.#renewWatches(), this.#watchLeaseMs / 3).unref();
    this.#heartbeatMs = options.heartbeatMs ?? 4_000;
    this.#openTimeoutMs = options.openTimeoutMs ?? 5_000;
    this.#admitTimeoutMs = options.admitTimeoutMs ?? 1_000;
    this.#beat();
    this.#heartbeat = setInterval(() => this.#beat(), this.#heartbeatMs / 3).unref();
  }

  /** This instance is alive while its heartbeat key is: its running turns are its own. */
  #beat(): void {
    this.#publisher
      .set(this.#instanceKey(this.instanceId), "1", "PX", this.#heartbeatMs)
      .catch((error: Error) => this.#logger.warn("session bus: heartbeat not recorded", { error: error.message }));
  }

  #instanceKey(instanceId: string): string {
    return `${this.#prefix}instance:${instanceId}`;
  }

  /** Resolves once this instance hears the others (its control subscription is in place). */
  async ready(): Promise<void> {
    await this.#subscribed;
  }

  get #controlChannel(): string {
    return `${this.#prefix}control`;
  }

  /** @internal The session's keys and channel. */
  keysOf(sessionKey: string) {
    // One hash tag per session: the script's keys stay in one slot on a Redis Cluster.
    const tag = `${this.#prefix}{${sessionKey}}`;
    return {
      count: `${tag}:count`,
      frames: `${tag}:frames`,
      watchers: `${tag}:watchers`,
      turns: `${tag}:turns`,
      messages: `${tag}:messages`,
      gone: `${tag}:gone`,
      channel: `${this.#prefix}frames:${sessionKey}`,
    };
  }

  async open(sessionKey: string, deliver: FrameListener): Promise<SessionLog> {
    const keys = this.keysOf(sessionKey);
    this.#logs.get(keys.channel)?.close();
    const log = new RedisSessionLog(this, keys, deliver, () => {
      if (this.#logs.get(keys.channel) !== log) return;
      this.#logs.delete(keys.channel);
      this.#subscriber.unsubscribe(keys.channel).catch(() => {});
    });
    this.#logs.set(keys.channel, log);
    // Subscribed before the last number is read: nothing published in between is missed.
    try {
      // A Redis that does not answer within 5 s fails the open: the client is told to reconnect (1013).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        log.start(this.#subscribed.then(() => this.#subscriber.subscribe(keys.channel))),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("Redis did not answer within 5 s.")), this.#openTimeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
    } catch (error) {
      log.close();
      throw error;
    }
    return log;
  }

  /** @internal the script call of RedisSessionLog.append */
  appendFrame(
    keys: ReturnType<RedisSessionBus["keysOf"]>,
    head: string,
    tail: string,
    floor: number,
    tombstoneSeen: string,
  ): void {
    this.#publisher
      .rtaAppendFrame(
        keys.count,
        keys.frames,
        keys.gone,
        head,
        tail,
        this.#replayFrames,
        this.#ttlSeconds,
        keys.channel,
        floor,
        tombstoneSeen,
      )
      .then((seq) => {
        // An instance that missed the deletion's control message still has the session open.
        if (seq < 0)
          this.#logger.warn("session bus: a frame of a deleted session was dropped", { channel: keys.channel });
      })
      .catch((error: Error) => this.#logger.error("session bus: a frame was not stored", { error: error.message }));
  }

  /** @internal Redis commands for the logs (reads). */
  get redis(): Redis {
    return this.#publisher;
  }

  /**
   * @internal See SessionLog.admit: the session's message ids in a sorted set by arrival, the last
   * `rememberedMessages` kept for as long as its frames.
   */
  async admitMessage(keys: SessionKeys, messageId: string): Promise<boolean> {
    // Redis away: not worth a wait per message (they are admitted one after another).
    if (this.#publisher.status !== "ready") return true;
    let timer: NodeJS.Timeout | undefined;
    try {
      // Commands wait in ioredis's offline queue while Redis is away: a message must not wait with them.
      const written = this.#publisher
        .multi()
        .zadd(keys.messages, "NX", Date.now(), messageId)
        .zremrangebyrank(keys.messages, 0, -(rememberedMessages + 1))
        .expire(keys.messages, this.#ttlSeconds)
        .exec();
      // Given up on after the timeout, it may still fail later: that must not be an unhandled rejection.
      written.catch(() => undefined);
      const results = await Promise.race([
        written,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Redis did not answer within ${this.#admitTimeoutMs} ms.`)),
            this.#admitTimeoutMs,
          );
        }),
      ]);
      return results?.[0]?.[1] !== 0;
    } catch (error) {
      // Not known: the message is answered (an answer given twice beats a message lost); the log
      // still knows the ids this instance saw.
      this.#logger.warn("session bus: message id not checked", {
        error: error instanceof Error ? error.message : String(error),
      });
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  #onMessage(channel: string, message: string): void {
    if (channel === this.#controlChannel) {
      const control = controlOf(message);
      if (!control) {
        this.#logger.warn("session bus: unknown control message ignored", { length: message.length });
        return;
      }
      for (const handler of this.#handlers)
        try {
          handler(control);
        } catch (error) {
          this.#logger.error("session bus: control handler failed", {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      return;
    }
    const first = message.indexOf(" ");
    const second = message.indexOf(" ", first + 1);
    this.#logs
      .get(channel)
      ?.receive(Number(message.slice(0, first)), message.slice(first + 1, second), message.slice(second + 1));
  }

  control(message: SessionControl): void {
    this.#publisher
      .publish(this.#controlChannel, JSON.stringify(message))
      .catch((error: Error) => this.#logger.warn("session bus: control not sent", { error: error.message }));
    if (message.kind === "forget") {
      // One script per session (its keys share a slot): the keys go, a tombstone says when.
      for (const sessionKey of message.sessionKeys) {
        const { gone, count, frames, watchers, turns, messages } = this.keysOf(sessionKey);
        this.#publisher
          .rtaForgetSession(gone, count, frames, watchers, turns, messages, randomUUID(), tombstoneSeconds)
          .catch((error: Error) => this.#logger.warn("session bus: session not forgotten", { error: error.message }));
      }
    }
  }

  onControl(handler: (message: SessionControl) => void): void {
    this.#handlers.push(handler);
  }

  setWatched(sessionKey: string, watched: boolean): void {
    const { watchers } = this.keysOf(sessionKey);
    const done = (error: Error) => this.#logger.warn("session bus: watch not recorded", { error: error.message });
    if (watched) {
      this.#watched.add(sessionKey);
      this.#publisher.zadd(watchers, Date.now() + this.#watchLeaseMs, this.instanceId).catch(done);
      this.#publisher.pexpire(watchers, this.#watchLeaseMs).catch(done);
    } else {
      this.#watched.delete(sessionKey);
      this.#publisher.zrem(watchers, this.instanceId).catch(done);
    }
  }

  #renewWatches(): void {
    if (this.#watched.size === 0) return;
    const pipeline = this.#publisher.pipeline();
    for (const sessionKey of this.#watched) {
      const { watchers } = this.keysOf(sessionKey);
      pipeline.zadd(watchers, Date.now() + this.#watchLeaseMs, this.instanceId);
      pipeline.pexpire(watchers, this.#watchLeaseMs);
    }
    pipeline.exec().catch(() => {});
  }

  async watchedElsewhere(sessionKey: string): Promise<boolean> {
    try {
      const members = await this.#publisher.zrangebyscore(this.keysOf(sessionKey).watchers, Date.now(), "+inf");
      return members.some((member) => member !== this.instanceId);
    } catch {
      // Unknown: say yes, so that a turn is not cancelled because Redis could not be asked.
      return true;
    }
  }

  turnStarted(sessionKey: string, turnId: string, replyTo: string | undefined): void {
    const { turns } = this.keysOf(sessionKey);
    const entry = JSON.stringify({ instance: this.instanceId, ...(replyTo ? { replyTo } : {}) });
    this.#publisher.hset(turns, turnId, entry).catch(() => {});
    this.#publisher.pexpire(turns, this.#ttlSeconds * 1000).catch(() => {});
  }

  turnEnded(sessionKey: string, turnId: string): void {
    this.#publisher.hdel(this.keysOf(sessionKey).turns, turnId).catch(() => {});
  }

  async claimLostTurns(sessionKey: string): Promise<{ running: string[]; lost: LostTurn[] }> {
    const { turns } = this.keysOf(sessionKey);
    const recorded = Object.entries(await this.#publisher.hgetall(turns)).map(([turnId, entry]) => {
      const parsed = JSON.parse(entry) as { instance: string; replyTo?: string };
      return { turnId, instance: parsed.instance, replyTo: parsed.replyTo };
    });
    const running: string[] = [];
    const lost: LostTurn[] = [];
    for (const turn of recorded) {
      if (turn.instance === this.instanceId || !(await this.#stopped(turn.instance))) {
        running.push(turn.turnId);
        continue;
      }
      // Whoever deletes the entry tells the clients: once, whichever instances look at the same time.
      if ((await this.#publisher.hdel(turns, turn.turnId)) === 1)
        lost.push({ turnId: turn.turnId, replyTo: turn.replyTo });
    }
    return { running, lost };
  }

  /**
   * An instance has stopped when its heartbeat has been missing for a whole heartbeat period as this
   * instance saw it (a key that is missing once may be an instance whose Redis connection dropped).
   */
  async #stopped(instanceId: string): Promise<boolean> {
    if (await this.#publisher.exists(this.#instanceKey(instanceId))) {
      this.#missing.delete(instanceId);
      return false;
    }
    const now = Date.now();
    const seen = this.#missing.get(instanceId);
    // Missing on checks in a row only: an absence seen long ago, then no check while the instance
    // came back, is not the start of this one.
    const since = seen && now - seen.last <= this.#heartbeatMs ? seen.since : now;
    this.#missing.set(instanceId, { since, last: now });
    return now - since >= this.#heartbeatMs;
  }

  /** Instances whose heartbeat was missing: since when (on checks in a row), and when last seen so. */
  readonly #missing = new Map<string, { since: number; last: number }>();

  async close(): Promise<void> {
    clearInterval(this.#renewal);
    clearInterval(this.#heartbeat);
    if (this.#watched.size) {
      const pipeline = this.#publisher.pipeline();
      for (const sessionKey of this.#watched) pipeline.zrem(this.keysOf(sessionKey).watchers, this.instanceId);
      await Promise.race([pipeline.exec().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1_000))]);
    }
    await Promise.race([
      this.#publisher.del(this.#instanceKey(this.instanceId)).catch(() => {}),
      new Promise((resolve) => setTimeout(resolve, 1_000)),
    ]);
    this.#subscriber.disconnect();
    this.#publisher.disconnect();
  }
}

type SessionKeys = ReturnType<RedisSessionBus["keysOf"]>;

class RedisSessionLog implements SessionLog {
  readonly #bus: RedisSessionBus;
  readonly #keys: SessionKeys;
  readonly #deliver: FrameListener;
  readonly #onClose: () => void;
  /** The last frame delivered here: frames arrive through one chain, so in order and once. */
  #delivered = 0;
  /** The epoch of the session's numbering as last seen here (see the append script). */
  #epoch: string | undefined;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(bus: RedisSessionBus, keys: SessionKeys, deliver: FrameListener, onClose: () => void) {
    this.#bus = bus;
    this.#keys = keys;
    this.#deliver = deliver;
    this.#onClose = onClose;
  }

  /** Frames received before the session's last number is known wait for it (they come after it). */
  start(subscribed: Promise<unknown>): Promise<void> {
    const started = (async () => {
      await subscribed;
      this.#tombstoneSeen = (await this.#bus.redis.get(this.#keys.gone)) ?? "";
      const [seq, epoch] = await this.#bus.redis.hmget(this.#keys.count, "n", "epoch");
      // A count that was evicted: the stream's last frame is where the session stands.
      const top =
        seq === null ? (await this.#bus.redis.xrevrange(this.#keys.frames, "+", "-", "COUNT", 1))[0] : undefined;
      this.#delivered = seq === null ? Number(top?.[0].slice(2) ?? 0) : Number(seq);
      this.#epoch = epoch ?? undefined;
    })();
    this.#chain = started.catch(() => {});
    return started;
  }

  /** Raises the numbering floor: a client resuming from `seq` has seen the session that far. */
  sawUpTo(seq: number): void {
    if (seq > this.#floor) this.#floor = seq;
  }

  /** The highest number a resuming client said it holds: new numbers go above it (see the script). */
  #floor = 0;
  /** The session's tombstone when this log opened ("" for none): a newer one means it was deleted since. */
  #tombstoneSeen = "";

  append(build: FrameBuilder): void {
    // A deleted session's last frames (its aborted turn ending) must not bring its keys back.
    if (this.#closed) return;
    const data = JSON.stringify(build(0));
    // The first `"seq":0` is the envelope's: a string value cannot hold an unescaped quote, and the
    // envelope's keys before it (message_id, session_id) are strings.
    const at = data.indexOf('"seq":0');
    if (at < 0) throw new Error("A frame without a seq cannot be numbered.");
    this.#bus.appendFrame(
      this.#keys,
      data.slice(0, at + 6),
      data.slice(at + 7),
      Math.max(this.#delivered, this.#floor),
      this.#tombstoneSeen,
    );
  }

  receive(seq: number, epoch: string, data: string): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#closed) return;
      if (this.#epoch !== undefined && epoch !== this.#epoch && seq <= this.#delivered) {
        // Redis lost the session's numbering and started it again: these are new frames, from 1.
        this.#delivered = 0;
        this.#restarted = true;
        this.#epoch = epoch;
        if (seq > 1) await this.#readBack(seq - 1);
        this.#deliverOne(seq, data);
        return;
      }
      this.#epoch = epoch;
      if (seq <= this.#delivered) return;
      if (seq > this.#delivered + 1) await this.#readBack(seq - 1);
      this.#deliverOne(seq, data);
    });
  }

  /** Delivers whatever the stream holds past the last frame delivered (after a reconnection). */
  catchUp(): void {
    this.#chain = this.#chain.then(() => this.#readBack(Number.POSITIVE_INFINITY));
  }

  /**
   * Delivers the frames the stream holds between the last delivered and `upTo`, trying three times
   * when Redis does not answer. Frames no longer held (trimmed, evicted, lost) are skipped: the client
   * sees the gap in the numbers.
   */
  async #readBack(upTo: number): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const entries = await this.#bus.redis.xrange(
          this.#keys.frames,
          `0-${this.#delivered + 1}`,
          Number.isFinite(upTo) ? `0-${upTo}` : "+",
        );
        for (const [id, fields] of entries) this.#deliverOne(Number(id.slice(2)), fields[1]!);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  #deliverOne(seq: number, data: string): void {
    if (this.#closed || seq <= this.#delivered) return;
    this.#delivered = seq;
    if (this.#restarted) {
      this.#restarted = false;
      this.#deliver(seq, data, { restarted: true });
    } else this.#deliver(seq, data);
  }

  /** The next frame delivered is the first of a numbering started again. */
  #restarted = false;

  async lastSeq(): Promise<number> {
    return Number((await this.#bus.redis.hget(this.#keys.count, "n")) ?? 0);
  }

  async framesAfter(lastSeenSeq: number): Promise<{ frames: string[]; complete: boolean; last: number }> {
    // One transaction: a frame appended between the two reads cannot look like a gap.
    const results = await this.#bus.redis
      .multi()
      .xrange(this.#keys.frames, `0-${lastSeenSeq + 1}`, "+")
      .hget(this.#keys.count, "n")
      .exec();
    const entries = (results?.[0]?.[1] ?? []) as [string, string[]][];
    const last = Number((results?.[1]?.[1] as string | null) ?? 0);
    const frames = entries.map(([, fields]) => fields[1]!);
    const first = entries[0] ? Number(entries[0][0].slice(2)) : last + 1;
    return { frames, complete: lastSeenSeq >= last || first === lastSeenSeq + 1, last };
  }

  /** Ids this instance admitted, so that a resend is refused here even while Redis cannot say. */
  readonly #admitted = new Set<string>();

  async admit(messageId: string): Promise<boolean> {
    if (this.#admitted.has(messageId)) return false;
    this.#admitted.add(messageId);
    if (this.#admitted.size > rememberedMessages) this.#admitted.delete(this.#admitted.values().next().value!);
    return this.#bus.admitMessage(this.#keys, messageId);
  }

  release(messageId: string): void {
    this.#admitted.delete(messageId);
    this.#bus.redis.zrem(this.#keys.messages, messageId).catch(() => {});
  }

  close(): void {
    this.#closed = true;
    this.#onClose();
  }
}

/** A control message as sent by `control`, or undefined for anything else (another version's kinds). */
function controlOf(message: string): SessionControl | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  const control = parsed as Partial<{ kind: string; sessionKey: unknown; turnIds: unknown; sessionKeys: unknown }>;
  const strings = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((item) => typeof item === "string");
  if (control?.kind === "cancel" && typeof control.sessionKey === "string" && strings(control.turnIds))
    return { kind: "cancel", sessionKey: control.sessionKey, turnIds: control.turnIds };
  if (control?.kind === "forget" && strings(control.sessionKeys))
    return { kind: "forget", sessionKeys: control.sessionKeys };
  return undefined;
}
