import { describe, expect, it } from "vitest";
import { fuzzServerProcess } from "./run-ws-fuzz.ts";

// The server as its own process, fuzzed over real WebSockets: a smaller run of the fuzz script
// (the figures of a 10,000-frame run are in benchmarks/reports/). Bounded by frame counts, not time.
describe("WebSocket fuzz", () => {
  it("survives broken, hostile and flooding frames, answers every one that asks, and stays usable", async () => {
    const report = await fuzzServerProcess({ frames: 400, clients: 4, nonReading: 2 });
    expect(report.server_crashed).toBe(false);
    expect(report.frames_expecting_answer).toBeGreaterThan(100);
    expect(report.unanswered).toBe(0);
    expect(report.connections_usable_after).toEqual({ usable: 4, of: 4 });
    // Every kind of frame was thrown at it.
    expect(Object.keys(report.by_kind).length).toBeGreaterThanOrEqual(10);
  });
});
