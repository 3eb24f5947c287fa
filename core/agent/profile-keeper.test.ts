import { describe, expect, it } from "vitest";
import { StoreError } from "../contracts/errors.ts";
import { InMemorySessionStore } from "../memory/in-memory-store.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { ProfileKeeper } from "./profile-keeper.ts";

const brief = { userText: "Keep your answers short, please", toolsUsed: [] };

describe("profile keeper", () => {
  it("never writes back a profile deleted while a turn was learning from it", async () => {
    const store = new InMemorySessionStore();
    const keeper = new ProfileKeeper(store, silentLogger);
    keeper.learn("ada", brief);
    await keeper.settle();
    keeper.learn("ada", brief);
    expect(await keeper.forget("ada")).toBe(true);
    await keeper.settle();
    expect(await store.loadProfile("ada")).toBeUndefined();
    // Her data deleted (DELETE /v1/sessions), slowly: learning queued before, or begun during it, stops too.
    keeper.learn("ada", brief);
    await keeper.settle();
    const turnStarted = keeper.generationOf("ada");
    keeper.learn("ada", brief);
    const erased = keeper.eraseWith("ada", async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return store.deleteOwner("ada");
    });
    keeper.learn("ada", brief, turnStarted);
    await erased;
    await keeper.settle();
    expect(await store.loadProfile("ada")).toBeUndefined();
    // Learning begun afterwards starts a new profile.
    keeper.learn("ada", brief);
    await keeper.settle();
    expect((await store.loadProfile("ada"))?.turns).toBe(1);
  });

  it("reads each turn from the store: another instance's deletion is seen, and a failed read overwrites nothing", async () => {
    const store = new InMemorySessionStore();
    const [here, elsewhere] = [new ProfileKeeper(store, silentLogger), new ProfileKeeper(store, silentLogger)];
    here.learn("bob", brief);
    await here.settle();
    expect((await here.load("bob"))?.turns).toBe(1);
    await elsewhere.forget("bob");
    expect(await here.load("bob")).toBeUndefined();

    here.learn("bob", brief);
    here.learn("bob", brief);
    await here.settle();
    const failing = Object.assign(Object.create(store) as InMemorySessionStore, {
      loadProfile: () => Promise.reject(new StoreError("STORE_UNAVAILABLE", "down")),
    });
    const keeper = new ProfileKeeper(failing, silentLogger);
    keeper.learn("bob", brief);
    await keeper.settle();
    expect((await store.loadProfile("bob"))?.turns).toBe(2);
    expect(await keeper.loadForTurn("bob")).toBeUndefined();
    await expect(keeper.load("bob")).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
  });
});
