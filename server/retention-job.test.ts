import { describe, expect, it } from "vitest";
import { InMemorySessionStore, silentLogger } from "realtime-agent";
import { sampleTurn } from "realtime-agent/testing";
import { startRetentionJob } from "./retention-job.ts";

const turn = sampleTurn(1);

describe("retention job", () => {
  it("deletes sessions past retention in batches, tells the server, and keeps the rest", async () => {
    const store = new InMemorySessionStore();
    for (let index = 0; index < 5; index++) await store.appendTurn(`old-${index}`, turn);
    // Everything stored so far is "old": the cutoff (now - retention) is in the future.
    const told: string[][] = [];
    const stop = startRetentionJob(store, {
      retentionMs: -60_000,
      batchSize: 2,
      onDeleted: (keys) => told.push(keys),
      logger: silentLogger,
    });
    await expect.poll(() => told.flat().length).toBe(5);
    stop();
    expect(told.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(await store.describe("old-0")).toBeUndefined();

    await store.appendTurn("fresh", turn);
    const stopKeeping = startRetentionJob(store, { retentionMs: 60 * 60_000, logger: silentLogger });
    stopKeeping();
    expect(await store.describe("fresh")).toMatchObject({ turnCount: 1 });
  });
});
