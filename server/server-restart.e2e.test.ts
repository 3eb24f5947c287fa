import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServerProcess } from "./server-process.ts";
import { TestClient } from "./test-support/ws-client.ts";

// The embedded default (PGlite on a data directory) across a real restart of the server process.
const dataDir = mkdtempSync(join(tmpdir(), "rta-restart-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const serverEnv = { RTA_DATA_DIR: dataDir, RTA_MODEL: "synthetic", RTA_SYNTHETIC_TOKENS: "5" };

describe("embedded session store across a restart", () => {
  it("keeps a conversation when the server stops and starts again, and refuses a second server on the same directory", async () => {
    const first = await startServerProcess(serverEnv);
    const client = await TestClient.connect(`${first.wsUrl}/ws/trip`);
    const frames = await client.turn({ type: "user_message", content: { text: "My budget is 300,000 yen" } });
    expect(frames.at(-1)?.type).toBe("agent_response_complete");
    await client.close();

    // The data directory is this server's: another process is refused, with the reason.
    await expect(startServerProcess(serverEnv)).rejects.toThrow(/in use by process \d+/);
    expect(await first.stop()).toBe(0);

    const second = await startServerProcess(serverEnv);
    try {
      const health = await (await fetch(`${second.url}/health`)).json();
      expect(health.running_on.sessions).toBe(`pglite (${dataDir})`);
      const exported = await (await fetch(`${second.url}/v1/sessions/trip`)).json();
      expect(exported).toMatchObject({ session_id: "trip", turn_count: 1 });
      expect(exported.turns.map((turn: { user_text: string }) => turn.user_text)).toEqual(["My budget is 300,000 yen"]);
      expect(exported.turns[0].assistant_text.length).toBeGreaterThan(0);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
