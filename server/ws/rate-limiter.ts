import type { Redis } from "ioredis";

/** How many messages a client may send: `burst` at once, refilled at `perSecond`. */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

export const defaultMessageRate: RateLimit = { burst: 20, perSecond: 5 };

/** Takes one message's token for a client (a key's owner, or an address); false when there is none left. */
export interface MessageRateLimiter {
  take(client: string): Promise<boolean>;
}

/** Token buckets in this process: right for one instance. */
export class InMemoryRateLimiter implements MessageRateLimiter {
  readonly #limit: RateLimit;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #now: () => number;

  constructor(limit: RateLimit = defaultMessageRate, now: () => number = Date.now) {
    this.#limit = limit;
    this.#now = now;
  }

  async take(client: string): Promise<boolean> {
    return this.takeNow(client);
  }

  takeNow(client: string): boolean {
    const now = this.#now();
    const bucket = this.#buckets.get(client) ?? { tokens: this.#limit.burst, at: now };
    bucket.tokens = Math.min(this.#limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#limit.perSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#buckets.set(client, bucket);
    // A bucket that has refilled is the same as none: forget it, so that the map holds active clients only.
    if (this.#buckets.size > 10_000)
      for (const [key, old] of this.#buckets) if (now - old.at > 60_000) this.#buckets.delete(key);
    return allowed;
  }
}

// One bucket per client in a Redis hash, refilled and taken atomically.
const takeScript = `
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / per_ms) + 1000)
return allowed
`;

/**
 * Token buckets in Redis, shared by every instance behind a load balancer (REDIS_URL). When Redis
 * cannot answer, the instance falls back to its own buckets rather than refuse or wave everyone through.
 */
export class RedisRateLimiter implements MessageRateLimiter {
  readonly #redis: Redis;
  readonly #limit: RateLimit;
  readonly #fallback: InMemoryRateLimiter;
  readonly #prefix: string;

  constructor(redis: Redis, limit: RateLimit = defaultMessageRate, prefix = "rta:rate:") {
    this.#redis = redis;
    this.#limit = limit;
    this.#fallback = new InMemoryRateLimiter(limit);
    this.#prefix = prefix;
  }

  async take(client: string): Promise<boolean> {
    try {
      const allowed = await this.#redis.eval(
        takeScript,
        1,
        `${this.#prefix}${client}`,
        this.#limit.burst,
        this.#limit.perSecond / 1000,
        Date.now(),
      );
      return allowed === 1;
    } catch {
      return this.#fallback.takeNow(client);
    }
  }
}
