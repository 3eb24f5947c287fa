import { messageOf } from "../contracts/errors.ts";
import type { Logger } from "../contracts/logger.ts";
import { emptyProfile, keepsProfiles, type ProfileStore, type UserProfile } from "../contracts/profile.ts";
import type { SessionStore } from "../contracts/store.ts";
import { learnFromTurn, type TurnForLearning } from "./profile-learning.ts";

/**
 * Users' profiles for the turn loop: read once per owner and kept in this process (up to 10,000),
 * learned from each turn and written back to the store in the background, one write at a time per
 * owner. Without a store that keeps profiles, nothing is learned.
 */
export class ProfileKeeper {
  readonly #store: (SessionStore & ProfileStore) | undefined;
  readonly #logger: Logger;
  readonly #cached = new Map<string, Promise<UserProfile | undefined>>();
  readonly #writes = new Map<string, Promise<void>>();

  constructor(store: SessionStore, logger: Logger) {
    this.#store = keepsProfiles(store) ? store : undefined;
    this.#logger = logger;
  }

  /** The owner's profile, undefined before their first turn or when the store cannot be read. */
  load(owner: string): Promise<UserProfile | undefined> {
    const store = this.#store;
    if (!store) return Promise.resolve(undefined);
    let profile = this.#cached.get(owner);
    if (!profile) {
      profile = store.loadProfile(owner).catch((error: unknown) => {
        this.#logger.warn("profile not read", { error: messageOf(error) });
        this.#cached.delete(owner);
        return undefined;
      });
      this.#remember(owner, profile);
    }
    return profile;
  }

  /** Learns from one more turn of the owner's, in the background. */
  learn(owner: string, turn: TurnForLearning): void {
    const store = this.#store;
    if (!store) return;
    const learned = this.load(owner).then((profile) => learnFromTurn(profile ?? emptyProfile(owner), turn));
    this.#remember(owner, learned);
    const previous = this.#writes.get(owner) ?? Promise.resolve();
    const write = previous
      .then(() => learned)
      .then((profile) => store.saveProfile(profile))
      .catch((error: unknown) => this.#logger.warn("profile not saved", { error: messageOf(error) }))
      .finally(() => {
        if (this.#writes.get(owner) === write) this.#writes.delete(owner);
      });
    this.#writes.set(owner, write);
  }

  /** Forgets the owner's profile here and in the store (the user asked). */
  async forget(owner: string): Promise<boolean> {
    await this.#writes.get(owner);
    this.#cached.delete(owner);
    return this.#store ? this.#store.deleteProfile(owner) : false;
  }

  /** Forgets what this process holds of the owner (their data was deleted elsewhere). */
  drop(owner: string): void {
    this.#cached.delete(owner);
  }

  /** Resolves once the profiles learned so far are written. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#writes.values());
  }

  #remember(owner: string, profile: Promise<UserProfile | undefined>): void {
    this.#cached.delete(owner);
    this.#cached.set(owner, profile);
    if (this.#cached.size > 10_000) this.#cached.delete(this.#cached.keys().next().value!);
  }
}
