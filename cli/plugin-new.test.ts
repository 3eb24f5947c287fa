import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin/rta.js");

describe("rta plugin new", () => {
  it("scaffolds a plugin whose generated test passes, and refuses to overwrite", () => {
    const name = `scaffold-${process.pid}`;
    const directory = join(root, "plugins", name);
    try {
      const created = spawnSync(process.execPath, [bin, "plugin", "new", name], { cwd: root, encoding: "utf8" });
      expect(created.status).toBe(0);
      expect(existsSync(join(directory, "index.ts"))).toBe(true);
      const test = spawnSync(
        process.execPath,
        [join(root, "node_modules/vitest/vitest.mjs"), "run", `plugins/${name}`],
        { cwd: root, encoding: "utf8", timeout: 120_000 },
      );
      expect(test.stdout + test.stderr).toMatch(/7 passed/);
      expect(test.stdout + test.stderr).toMatch(/1 skipped/); // nothing to cancel in the greeting tool
      expect(test.status).toBe(0);
      const again = spawnSync(process.execPath, [bin, "plugin", "new", name], { cwd: root, encoding: "utf8" });
      expect(again.status).toBe(1);
      expect(again.stderr).toContain("already exists");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("rejects names that are not kebab-case", () => {
    const result = spawnSync(process.execPath, [bin, "plugin", "new", "Bad_Name"], { cwd: root, encoding: "utf8" });
    expect(result.status).toBe(2);
  });
});
