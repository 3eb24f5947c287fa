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
  /**
   * Raised when an owner's profile is deleted: learning from a turn begun before does not write. Kept
   * 10 minutes (longer than any turn), so that the map holds only recent deletions.
   */
  readonly #generations = new Map<string, { generation: number; at: number }>();

  constructor(store: SessionStore, logger: Logger) {
    this.#store = keepsProfiles(store) ? store : undefined;
    this.#logger = logger;
  }

  /** The owner's profile, undefined before their first turn; throws what the store throws. */
  load(owner: string): Promise<UserProfile | undefined> {
    return this.#store ? this.#store.loadProfile(owner) : Promise.resolve(undefined);
  }

  /**
   * As `load`, for a turn: a store that cannot be read means no profile this time, not a failed turn.
   * What the owner's last turn taught is waited for (a quarter of a second at most): "keep it short"
   * applies to the very next message.
   */
  async loadForTurn(owner: string): Promise<UserProfile | undefined> {
    const pending = this.#writes.get(owner);
    if (pending) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, 250)))]);
      clearTimeout(timer);
    }
    return this.load(owner).catch((error: unknown) => {
      this.#logger.warn("profile not read", { error: messageOf(error) });
      return undefined;
    });
  }

  /** The owner's deletions so far, to hand to `learn` from when a turn starts. */
  generationOf(owner: string): number {
    return this.#generations.get(owner)?.generation ?? 0;
  }

  /**
   * Learns from one more turn of the owner's, in the background: unless the profile was deleted
   * since `generation` (the turn's start), and only over the profile it read (another instance's
   * write or deletion in between makes it read again, twice at most).
   */
  learn(owner: string, turn: TurnForLearning, generation = this.generationOf(owner)): void {
    const store = this.#store;
    if (!store) return;
    this.#enqueue(owner, async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        // A profile that could not be read is not overwritten by one learned from nothing.
        const profile = await store.loadProfile(owner);
        if (this.generationOf(owner) !== generation) return;
        if (await store.saveProfile(learnFromTurn(profile ?? emptyProfile(owner), turn), profile ?? null)) return;
      }
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

  /**
   * Deletes the owner's data with `erase` (their sessions and profile, DELETE /v1/sessions), after
   * the learning under way and so that none writes afterwards.
   */
  async eraseWith<Result>(owner: string, erase: () => Promise<Result>): Promise<Result> {
    this.#bump(owner);
    let result!: Result;
    await this.#enqueue(
      owner,
      async () => {
        result = await erase();
      },
      true,
    );
    return result;
  }

  /** Resolves once the profiles learned so far are written. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#writes.values());
  }

  #bump(owner: string): void {
    const now = Date.now();
    const generation = this.generationOf(owner) + 1;
    this.#generations.delete(owner);
    this.#generations.set(owner, { generation, at: now });
    // Oldest first: deletions older than any turn can be forgotten.
    for (const [key, entry] of this.#generations) {
      if (now - entry.at < 10 * 60 * 1000) break;
      this.#generations.delete(key);
    }
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
