import { describe, expect, it } from "vitest";
import { AbuseTracker } from "./abuse-tracker.ts";

describe("AbuseTracker", () => {
  it("blocks a key after repeated blocks within the window, for a while, and only that key", () => {
    let now = 0;
    const tracker = new AbuseTracker({ maxBlocks: 3, windowMs: 1_000, blockMs: 5_000, now: () => now });
    expect(tracker.recordBlock("mallory")).toBe(false);
    now = 100;
    expect(tracker.recordBlock("mallory")).toBe(false);
    expect(tracker.isBlocked("mallory")).toBe(false);
    now = 200;
    expect(tracker.recordBlock("mallory")).toBe(true);
    expect(tracker.isBlocked("mallory")).toBe(true);
    expect(tracker.isBlocked("alice")).toBe(false);
    now = 5_199;
    expect(tracker.isBlocked("mallory")).toBe(true);
    now = 5_201;
    expect(tracker.isBlocked("mallory")).toBe(false);
  });

  it("forgets blocks older than the window", () => {
    let now = 0;
    const tracker = new AbuseTracker({ maxBlocks: 2, windowMs: 1_000, now: () => now });
    tracker.recordBlock("bob");
    now = 1_500;
    expect(tracker.recordBlock("bob")).toBe(false);
  });

  it("keeps a bounded number of keys", () => {
    const tracker = new AbuseTracker({ maxBlocks: 1, maxKeys: 2 });
    tracker.recordBlock("a");
    tracker.recordBlock("b");
    tracker.recordBlock("c");
    expect(tracker.isBlocked("a")).toBe(false);
    expect(tracker.isBlocked("b")).toBe(true);
    expect(tracker.isBlocked("c")).toBe(true);
  });
});
