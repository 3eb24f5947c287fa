import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import {
  BufferedSessionStore,
  InMemorySessionStore,
  migrate,
  pgliteClient,
  postgresClient,
  RedisSessionStore,
  type SessionStore,
  SqlSessionStore,
  TieredSessionStore,
  type TurnRecord,
} from "realtime-agent";
import type { BenchmarkDefinition } from "../bench-types.ts";

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A realistic turn: a question, a one-sentence answer, one calculator call, timings. */
const turn: TurnRecord = {
  turnId: "00000000-0000-4000-8000-000000000000",
  userText: "If four of us split a 96 dollar bill and add a 20% tip, how much does each pay?",
  assistantText: "Each of you pays 28.80 dollars, tip included.",
  toolCalls: [
    { callId: "call_1", name: "calculator", arguments: { expression: "96 * 1.2 / 4" }, result: { result: 28.8 } },
  ],
  usage: { inputTokens: 412, outputTokens: 17 },
  model: "qwen2.5-coder-0.5b-instruct-q4_k_m",
  createdAt: "2026-11-27T10:00:00.000Z",
  timings: {
    timeToFirstTokenMs: 2025,
    totalMs: 2600,
    steps: { loadContext: 1, inputGuard: 0, model: 2400, tools: 150, store: 2 },
  },
};

interface Subject {
  kind: string;
  open: () => Promise<{ store: SessionStore; close: () => Promise<void> }>;
}

const subjects: Subject[] = [
  { kind: "memory", open: async () => ({ store: new InMemorySessionStore(), close: async () => {} }) },
  {
    kind: "pglite",
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), "rta-bench-pglite-"));
      const client = await pgliteClient(dir);
      await migrate(client);
      const store = new SqlSessionStore(client);
      const close = async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      };
      return { store, close };
    },
  },
  {
    kind: "postgres",
    open: async () => {
      const schema = `rta_bench_${process.pid}`;
      const client = postgresClient({ connectionString: databaseUrl, schema });
      await migrate(client);
      const store = new BufferedSessionStore(new SqlSessionStore(client));
      return {
        store,
        close: async () => {
          await client.query(`DROP SCHEMA ${schema} CASCADE`);
          await store.close();
        },
      };
    },
  },
  {
    kind: "redis",
    open: async () => {
      const redis = new Redis(redisUrl);
      const keyPrefix = `rta-bench-${process.pid}:`;
      return {
        store: new RedisSessionStore(redis, { keyPrefix }),
        close: async () => {
          const keys = await redis.keys(`${keyPrefix}*`);
          if (keys.length) await redis.del(...keys);
          redis.disconnect();
        },
      };
    },
  },
  {
    kind: "redis+postgres",
    open: async () => {
      const redis = new Redis(redisUrl);
      const keyPrefix = `rta-bench-tiered-${process.pid}:`;
      const schema = `rta_bench_tiered_${process.pid}`;
      const client = postgresClient({ connectionString: databaseUrl, schema });
      await migrate(client);
      const durable = new BufferedSessionStore(new SqlSessionStore(client));
      return {
        store: new TieredSessionStore(new RedisSessionStore(redis, { keyPrefix }), durable),
        close: async () => {
          const keys = await redis.keys(`${keyPrefix}*`);
          if (keys.length) await redis.del(...keys);
          redis.disconnect();
          await client.query(`DROP SCHEMA ${schema} CASCADE`);
          await durable.close();
        },
      };
    },
  },
];

/**
 * Session store latency per store: storing a turn (one session of 100 growing) and loading a session's
 * context (20 turns), on the machine's real PostgreSQL and Redis and an embedded PGlite directory.
 */
export function storeBenchmarks(): BenchmarkDefinition[] {
  return subjects.flatMap((subject): BenchmarkDefinition[] => {
    let opened: Awaited<ReturnType<Subject["open"]>> | undefined;
    let written = 0;
    const loadSessions = Array.from({ length: 10 }, (_, index) => `load-${index}`);
    let loads = 0;
    const store = () => {
      if (!opened) throw new Error(`store ${subject.kind} not opened`);
      return opened.store;
    };
    return [
      {
        name: `store.${subject.kind}.append_turn`,
        group: "stores",
        unit: "ms",
        setup: async () => {
          opened = await subject.open();
        },
        run: async () => {
          await store().appendTurn(`append-${written++ % 100}`, turn);
        },
      },
      {
        name: `store.${subject.kind}.load_context`,
        group: "stores",
        unit: "ms",
        setup: async () => {
          for (const sessionId of loadSessions)
            for (let index = 0; index < 20; index++) await store().appendTurn(sessionId, turn);
          // The tiered store holds a session in Redis after its first load.
          for (const sessionId of loadSessions) await store().load(sessionId);
        },
        teardown: async () => {
          await opened?.close();
          opened = undefined;
        },
        run: async () => {
          await store().load(loadSessions[loads++ % loadSessions.length] as string);
        },
      },
    ];
  });
}
