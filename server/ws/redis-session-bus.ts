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
} from "./session-bus.ts";

/**
 * Numbers a frame, keeps it in the session's stream (entry id `0-<seq>`, so that resuming reads by
 * sequence number) and publishes it. The caller passes the highest number it has seen as a floor: a
 * Redis that lost its data (restarted without persistence) goes on from there instead of reusing numbers
 * clients already hold.
 */
const appendFrameScript = `
local seq = redis.call('INCR', KEYS[1])
local floor = tonumber(ARGV[6])
if seq <= floor then
  seq = floor + 1
  redis.call('SET', KEYS[1], seq)
end
local data = ARGV[1] .. seq .. ARGV[2]
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '0-' .. seq, 'd', data)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], seq .. ' ' .. data)
return seq`;

type AppendingRedis = Redis & {
  rtaAppendFrame(
    seqKey: string,
    streamKey: string,
    head: string,
    tail: string,
    maxFrames: number,
    ttlSeconds: number,
    channel: string,
    floor: number,
  ): Promise<number>;
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
  /** An instance whose heartbeat is this old has stopped: its running turns are lost (default 10 s). */
  heartbeatMs?: number;
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
    this.#publisher.defineCommand("rtaAppendFrame", { numberOfKeys: 2, lua: appendFrameScript });
    this.#subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    for (const connection of [this.#publisher, this.#subscriber])
      connection.on("error", (error: Error) =>
        this.#logger.warn("session bus: redis unavailable", { error: error.message }),
      );
    this.#subscriber.on("message", (channel: string, message: string) => this.#onMessage(channel, message));
    // After a reconnection every open session reads what it missed, even if no new frame comes.
    this.#subscriber.on("ready", () => {
      for (const log of this.#logs.values()) log.catchUp();
    });
    this.#subscribed = this.#subscriber.subscribe(this.#controlChannel);
    this.#renewal = setInterval(() => this.#renewWatches(), this.#watchLeaseMs / 3).unref();
    this.#heartbeatMs = options.heartbeatMs ?? 10_000;
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
      seq: `${tag}:seq`,
      frames: `${tag}:frames`,
      watchers: `${tag}:watchers`,
      turns: `${tag}:turns`,
      channel: `${this.#prefix}frames:${sessionKey}`,
    };
  }

  async open(sessionKey: string, deliver: FrameListener): Promise<SessionLog> {
    const keys = this.keysOf(sessionKey);
    await this.#subscribed;
    this.#logs.get(keys.channel)?.close();
    const log = new RedisSessionLog(this, keys, deliver, () => {
      if (this.#logs.get(keys.channel) !== log) return;
      this.#logs.delete(keys.channel);
      this.#subscriber.unsubscribe(keys.channel).catch(() => {});
    });
    this.#logs.set(keys.channel, log);
    // Subscribed before the last number is read: nothing published in between is missed.
    await log.start(this.#subscriber.subscribe(keys.channel));
    return log;
  }

  /** @internal the script call of RedisSessionLog.append */
  appendFrame(keys: ReturnType<RedisSessionBus["keysOf"]>, head: string, tail: string, floor: number): void {
    this.#publisher
      .rtaAppendFrame(keys.seq, keys.frames, head, tail, this.#replayFrames, this.#ttlSeconds, keys.channel, floor)
      .catch((error: Error) => this.#logger.error("session bus: a frame was not stored", { error: error.message }));
  }

  /** @internal Redis commands for the logs (reads). */
  get redis(): Redis {
    return this.#publisher;
  }

  #onMessage(channel: string, message: string): void {
    if (channel === this.#controlChannel) {
      let control: SessionControl;
      try {
        control = JSON.parse(message) as SessionControl;
      } catch {
        return;
      }
      for (const handler of this.#handlers) handler(control);
      return;
    }
    const space = message.indexOf(" ");
    this.#logs.get(channel)?.receive(Number(message.slice(0, space)), message.slice(space + 1));
  }

  control(message: SessionControl): void {
    this.#publisher
      .publish(this.#controlChannel, JSON.stringify(message))
      .catch((error: Error) => this.#logger.warn("session bus: control not sent", { error: error.message }));
    if (message.kind === "forget") {
      const keys = message.sessionKeys.flatMap((sessionKey) => {
        const { seq, frames, watchers, turns } = this.keysOf(sessionKey);
        return [seq, frames, watchers, turns];
      });
      if (keys.length) this.#publisher.del(...keys).catch(() => {});
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
      if (turn.instance === this.instanceId || (await this.#publisher.exists(this.#instanceKey(turn.instance)))) {
        running.push(turn.turnId);
        continue;
      }
      // Whoever deletes the entry tells the clients: once, whichever instances look at the same time.
      if ((await this.#publisher.hdel(turns, turn.turnId)) === 1)
        lost.push({ turnId: turn.turnId, replyTo: turn.replyTo });
    }
    return { running, lost };
  }

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
      this.#delivered = await this.lastSeq();
    })();
    this.#chain = started.catch(() => {});
    return started;
  }

  append(build: FrameBuilder): void {
    const data = JSON.stringify(build(0));
    // The first `"seq":0` is the envelope's: a string value cannot hold an unescaped quote, and the
    // envelope's keys before it (message_id, session_id) are strings.
    const at = data.indexOf('"seq":0');
    if (at < 0) throw new Error("A frame without a seq cannot be numbered.");
    this.#bus.appendFrame(this.#keys, data.slice(0, at + 6), data.slice(at + 7), this.#delivered);
  }

  receive(seq: number, data: string): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#closed || seq <= this.#delivered) return;
      if (seq > this.#delivered + 1) await this.#readBack(seq - 1);
      this.#deliverOne(seq, data);
    });
  }

  /** Delivers whatever the stream holds past the last frame delivered (after a reconnection). */
  catchUp(): void {
    this.#chain = this.#chain.then(() => this.#readBack(Number.POSITIVE_INFINITY));
  }

  async #readBack(upTo: number): Promise<void> {
    try {
      const entries = await this.#bus.redis.xrange(
        this.#keys.frames,
        `0-${this.#delivered + 1}`,
        Number.isFinite(upTo) ? `0-${upTo}` : "+",
      );
      for (const [id, fields] of entries) this.#deliverOne(Number(id.slice(2)), fields[1]!);
    } catch {
      // Redis went away again: the next frame or reconnection reads back from the same point.
    }
  }

  #deliverOne(seq: number, data: string): void {
    if (this.#closed || seq <= this.#delivered) return;
    this.#delivered = seq;
    this.#deliver(seq, data);
  }

  async lastSeq(): Promise<number> {
    return Number((await this.#bus.redis.get(this.#keys.seq)) ?? 0);
  }

  async framesAfter(lastSeenSeq: number): Promise<{ frames: string[]; complete: boolean }> {
    const [entries, last] = await Promise.all([
      this.#bus.redis.xrange(this.#keys.frames, `0-${lastSeenSeq + 1}`, "+"),
      this.lastSeq(),
    ]);
    const frames = entries.map(([, fields]) => fields[1]!);
    const first = entries[0] ? Number(entries[0][0].slice(2)) : last + 1;
    return { frames, complete: lastSeenSeq >= last || first === lastSeenSeq + 1 };
  }

  close(): void {
    this.#closed = true;
    this.#onClose();
  }
}
