import { messageOf } from "../contracts/errors.ts";
import type { Logger } from "../contracts/logger.ts";
import { emptyProfile, keepsProfiles, type ProfileStore, type UserProfile } from "../contracts/profile.ts";
import type { SessionStore } from "../contracts/store.ts";
import { learnFromTurn, type TurnForLearning } from "./profile-learning.ts";

/**
 * Users' profiles for the turn loop, read from the store at each turn (so instances sharing a store
 * see each other's learning and deletions) and learned from each turn in the background: read again,
 * moved, written back, one owner's writes one at a time. A profile deleted (the user asked, or their
 * data went) is never written back by a turn that was learning from it. Without a store that keeps
 * profiles, nothing is learned.
 */
export class ProfileKeeper {
  readonly #store: (SessionStore & ProfileStore) | undefined;
  readonly #logger: Logger;
  readonly #writes = new Map<string, Promise<void>>();
  /** Raised when an owner's profile is deleted: learning begun before does not write. */
  readonly #generations = new Map<string, number>();

  constructor(store: SessionStore, logger: Logger) {
    this.#store = keepsProfiles(store) ? store : undefined;
    this.#logger = logger;
  }

  /** The owner's profile, undefined before their first turn; throws what the store throws. */
  load(owner: string): Promise<UserProfile | undefined> {
    return this.#store ? this.#store.loadProfile(owner) : Promise.resolve(undefined);
  }

  /** As `load`, for a turn: a store that cannot be read means no profile this time, not a failed turn. */
  loadForTurn(owner: string): Promise<UserProfile | undefined> {
    return this.load(owner).catch((error: unknown) => {
      this.#logger.warn("profile not read", { error: messageOf(error) });
      return undefined;
    });
  }

  /** Learns from one more turn of the owner's, in the background. */
  learn(owner: string, turn: TurnForLearning): void {
    const store = this.#store;
    if (!store) return;
    const generation = this.#generations.get(owner) ?? 0;
    this.#enqueue(owner, async () => {
      // A profile that could not be read is not overwritten by one learned from nothing.
      const profile = await store.loadProfile(owner);
      if ((this.#generations.get(owner) ?? 0) !== generation) return;
      await store.saveProfile(learnFromTurn(profile ?? emptyProfile(owner), turn));
    });
  }

  /** Deletes the owner's profile (the user asked); true when there was one. */
  async forget(owner: string): Promise<boolean> {
    this.#bump(owner);
    let deleted = false;
    await this.#enqueue(
      owner,
      async () => {
        deleted = this.#store ? await this.#store.deleteProfile(owner) : false;
      },
      true,
    );
    return deleted;
  }

  /** The owner's data was deleted elsewhere (their sessions and profile): learning under way stops here. */
  drop(owner: string): void {
    this.#bump(owner);
  }

  /** Resolves once the profiles learned so far are written. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#writes.values());
  }

  #bump(owner: string): void {
    this.#generations.set(owner, (this.#generations.get(owner) ?? 0) + 1);
    // Kept small: only owners being learned from or deleted need a number.
    if (this.#generations.size > 10_000) this.#generations.delete(this.#generations.keys().next().value!);
  }

  /** Runs `work` after the owner's earlier writes; a failure is logged, or thrown to the caller when `rethrow`. */
  #enqueue(owner: string, work: () => Promise<void>, rethrow = false): Promise<void> {
    const previous = this.#writes.get(owner) ?? Promise.resolve();
    const run = previous.then(work);
    const settled = run
      .catch((error: unknown) => {
        if (!rethrow) this.#logger.warn("profile not saved", { error: messageOf(error) });
      })
      .finally(() => {
        if (this.#writes.get(owner) === settled) this.#writes.delete(owner);
      });
    this.#writes.set(owner, settled);
    return rethrow ? run : settled;
  }
}
