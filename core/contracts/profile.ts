import { StoreError } from "./errors.ts";

/**
 * What the agent has learned of one user (one owner) from their turns: each preference moves towards
 * what a turn showed by a learning rate, so one message nudges it and a habit sets it. Kept beside the
 * user's sessions (deleted with them); the user sees it and deletes it through the API.
 */
export interface UserProfile {
  owner: string;
  /** Turns learned from. */
  turns: number;
  /** Share of the user's messages in each language (summing to 1 over the languages seen). */
  languages: Record<string, number>;
  /**
   * How long the user wants answers: -1 brief … 0 no preference … +1 detailed, moved by what they ask
   * ("shorter, please", "explica con más detalle") and by the length of answers they rate.
   */
  answerLength: number;
  /** Whether the user wants lists (0…1), moved by asking for bullet points or prose. */
  lists: number;
  /** Share of the user's turns that called each tool. */
  tools: Record<string, number>;
  /** Share of the user's messages about each topic (travel, money, weather, maths, tech…). */
  topics: Record<string, number>;
  updatedAt: string;
}

export function emptyProfile(owner: string): UserProfile {
  return {
    owner,
    turns: 0,
    languages: {},
    answerLength: 0,
    lists: 0,
    tools: {},
    topics: {},
    updatedAt: new Date(0).toISOString(),
  };
}

/** Stores that keep users' profiles (deleted with the owner's data). */
export interface ProfileStore {
  loadProfile(owner: string): Promise<UserProfile | undefined>;
  /**
   * Saves the profile. With `expected`, only over what was read: `null` when there was no profile
   * (saved only if there still is none), else the profile read (saved only if it is still the one
   * stored, by `updatedAt`). Resolves false when that did not hold (another writer, or a deletion).
   */
  saveProfile(profile: UserProfile, expected?: Pick<UserProfile, "updatedAt"> | null): Promise<boolean>;
  deleteProfile(owner: string): Promise<boolean>;
}

export function keepsProfiles(store: object): store is ProfileStore {
  const candidate = store as Partial<ProfileStore>;
  return (
    typeof candidate.loadProfile === "function" &&
    typeof candidate.saveProfile === "function" &&
    typeof candidate.deleteProfile === "function"
  );
}

/** A store wrapping another (tiers, a write buffer) keeps profiles in the store it wraps. */
export function innerProfiles(inner: object, kind: string): ProfileStore {
  if (keepsProfiles(inner)) return inner;
  const refuse = () => Promise.reject(new StoreError("STORE_REJECTED", `The ${kind} session store keeps no profiles.`));
  return { loadProfile: refuse, saveProfile: refuse, deleteProfile: refuse };
}
