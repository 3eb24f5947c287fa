import { afterEach, describe, expect, it } from "vitest";
import { emptyProfile, type ProfileStore } from "../../contracts/profile.ts";
import type { SessionStore } from "../../contracts/store.ts";
import { sampleTurn } from "../turn-record.ts";

export interface ProfileStoreContractSubject {
  name: string;
  createStore: () => Promise<SessionStore & ProfileStore> | (SessionStore & ProfileStore);
}

/** What every store that keeps users' profiles must do, as a vitest suite (owners get unique names). */
export function runProfileStoreContract(subject: ProfileStoreContractSubject): void {
  const opened: SessionStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close?.();
  });
  const createStore = async () => {
    const store = await subject.createStore();
    opened.push(store);
    return store;
  };
  const owner = () => `owner-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  describe(`profile store contract: ${subject.name}`, () => {
    it("keeps a user's profile as saved, replaces it on the next save, and deletes it", async () => {
      const store = await createStore();
      const who = owner();
      expect(await store.loadProfile(who)).toBeUndefined();
      const profile = {
        ...emptyProfile(who),
        turns: 3,
        languages: { es: 0.8, en: 0.2 },
        answerLength: -0.6,
        tools: { calculator: 0.4 },
      };
      await store.saveProfile(profile);
      expect(await store.loadProfile(who)).toEqual(profile);
      await store.saveProfile({ ...profile, turns: 4 });
      expect((await store.loadProfile(who))?.turns).toBe(4);
      // Saved over what was read only: not over another writer's profile, not over a deletion.
      const read = (await store.loadProfile(who))!;
      expect(
        await store.saveProfile({ ...read, turns: 5, updatedAt: new Date(Date.now() + 1).toISOString() }, read),
      ).toBe(true);
      expect(await store.saveProfile({ ...read, turns: 6 }, read)).toBe(false);
      expect(await store.saveProfile({ ...read, turns: 6 }, null)).toBe(false);
      expect((await store.loadProfile(who))?.turns).toBe(5);
      expect(await store.deleteProfile(who)).toBe(true);
      expect(await store.saveProfile({ ...read, turns: 7 }, read)).toBe(false);
      expect(await store.loadProfile(who)).toBeUndefined();
      expect(await store.saveProfile({ ...read, turns: 1 }, null)).toBe(true);
      expect(await store.deleteProfile(who)).toBe(true);
      expect(await store.deleteProfile(who)).toBe(false);
      expect(await store.loadProfile(who)).toBeUndefined();
    });

    it("forgets a profile idle past the retention cutoff once its owner has no session left", async () => {
      const store = await createStore();
      const [idle, active] = [owner(), owner()];
      const old = new Date(Date.now() - 40 * 24 * 60 * 60 * 1000).toISOString();
      await store.saveProfile({ ...emptyProfile(idle), turns: 1, updatedAt: old });
      await store.appendTurn(`${active}:a`, sampleTurn(1), { owner: active });
      await store.saveProfile({ ...emptyProfile(active), turns: 1, updatedAt: old });
      await store.deleteIdleSince(new Date(Date.now() - 30 * 24 * 60 * 60 * 1000));
      expect(await store.loadProfile(idle)).toBeUndefined();
      expect((await store.loadProfile(active))?.turns).toBe(1);
    });

    it("forgets the profile with the rest of the user's data", async () => {
      const store = await createStore();
      const who = owner();
      await store.appendTurn(`${who}:a`, sampleTurn(1), { owner: who });
      await store.saveProfile({ ...emptyProfile(who), turns: 1 });
      await store.deleteOwner(who);
      expect(await store.loadProfile(who)).toBeUndefined();
    });
  });
}
