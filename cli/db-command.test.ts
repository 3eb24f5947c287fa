import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsDirectory } from "realtime-agent";

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), "rta-db-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const rta = (...args: string[]) =>
  run(process.execPath, ["bin/rta.js", "db", ...args], {
    env: { ...process.env, RTA_DATA_DIR: dataDir, DATABASE_URL: "", RTA_STORE: "" },
  });

describe("rta db", () => {
  it("shows pending migrations, runs them, takes the last one back, and cleans up idle sessions", async () => {
    const migrations = readdirSync(migrationsDirectory)
      .filter((file) => file.endsWith(".sql"))
      .map((file) => file.replace(/\.sql$/, ""))
      .sort();
    const status = async () => JSON.parse((await rta("status", "--json")).stdout);
    expect(await status()).toMatchObject({ database: `pglite (${dataDir})`, applied: [], pending: migrations });
    expect((await rta("migrate")).stdout).toContain(`ran: ${migrations.join(", ")}`);
    expect((await status()).pending).toEqual([]);
    expect((await rta("migrate", "--down", "1")).stdout).toContain(`took back: ${migrations.at(-1)}`);
    expect((await status()).pending).toEqual([migrations.at(-1)]);
    expect((await rta("cleanup", "--idle-days", "30")).stdout).toMatch(/deleted 0 session\(s\) unused since/);
    await expect(rta("migrate", "--down", "zero")).rejects.toMatchObject({ code: 2 });
  });
});
