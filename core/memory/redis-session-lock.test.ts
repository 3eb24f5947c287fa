import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../contracts/events.ts";
import { Agent } from "../agent/agent.ts";
import { collectEvents } from "../testing/collect.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { InMemorySessionStore } from "./in-memory-store.ts";
import { RedisSessionLock } from "./redis-session-lock.ts";

// Two agents stand for two server instances: one store (the shared database), one Redis (the real one).
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
afterAll(() => redis.quit());

describe("RedisSessionLock", () => {
  it("makes a turn on another instance wait for the running one, and recall it", async () => {
    const prefix = `rta:test:${randomUUID()}:`;
    const store = new InMemorySessionStore();
    const firstModel = new ScriptedModel([{ text: "Noted: a budget of 300,000 yen.", delayMs: 50 }]);
    const secondModel = new ScriptedModel([{ text: "Then 180,000 yen are left." }]);
    const first = new Agent({ model: firstModel, store, sessionLock: new RedisSessionLock(redis, { prefix }) });
    const second = new Agent({ model: secondModel, store, sessionLock: new RedisSessionLock(redis, { prefix }) });

    const order: string[] = [];
    const firstEvents: AgentEvent[] = [];
    const firstDone = (async () => {
      for await (const event of first.runTurn({ sessionId: "trip", text: "My budget is 300,000 yen" })) {
        firstEvents.push(event);
        if (event.type === "turn-finish") order.push("first finished");
      }
    })();
    await expect.poll(() => firstEvents.some((event) => event.type === "text-delta")).toBe(true);
    const secondEvents = await collectEvents(second.runTurn({ sessionId: "trip", text: "The flight is 120,000 yen" }));
    order.push("second finished");
    await firstDone;

    expect(order).toEqual(["first finished", "second finished"]);
    expect(secondEvents.at(-1)).toMatchObject({ type: "turn-finish", outcome: "completed" });
    // The second instance's model read the first turn, stored before it started.
    expect(secondModel.requests[0]!.messages.map((message) => message.content)).toContain("My budget is 300,000 yen");
    expect((await store.history("trip")).map((turn) => turn.userText)).toEqual([
      "My budget is 300,000 yen",
      "The flight is 120,000 yen",
    ]);
    expect(await redis.exists(`${prefix}trip`)).toBe(0);
  });

  it("takes over from a holder that died once its lease runs out", async () => {
    const prefix = `rta:test:${randomUUID()}:`;
    await redis.set(`${prefix}s`, "a dead process", "PX", 300);
    const lock = new RedisSessionLock(redis, { prefix });
    const release = await lock.acquire("s");
    expect(await redis.get(`${prefix}s`)).not.toBe("a dead process");
    release();
    await expect.poll(() => redis.exists(`${prefix}s`)).toBe(0);
  });

  it("stops waiting when the turn is cancelled, and leaves the holder's lock alone", async () => {
    const prefix = `rta:test:${randomUUID()}:`;
    const lock = new RedisSessionLock(redis, { prefix });
    const release = await lock.acquire("s");
    const controller = new AbortController();
    const waiting = lock.acquire("s", controller.signal);
    controller.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
    expect(await redis.exists(`${prefix}s`)).toBe(1);
    release();
  });

  it("lets the turn go on when Redis cannot be reached", async () => {
    const down = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    down.on("error", () => undefined);
    const release = await new RedisSessionLock(down).acquire("s");
    expect(typeof release).toBe("function");
    release();
    down.disconnect();
  });
});
