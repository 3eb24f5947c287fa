import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { modelsCommand } from "./commands/models.ts";

const scratch = mkdtempSync(join(tmpdir(), "rta-models-"));
const savedEnv = { ...process.env };

/** Runs `rta models …` in this process with extra environment, returning its exit code and output. */
async function rta(env: NodeJS.ProcessEnv, ...args: string[]) {
  Object.assign(process.env, { RTA_MODEL_PATH: "" }, env);
  let stdout = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    return { status: await modelsCommand(args), stdout };
  } finally {
    write.mockRestore();
  }
}

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const listing = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      bytes: z.number(),
      file: z.enum(["present", "missing", "incomplete"]),
      inUse: z.boolean(),
      speed: z.object({ decodeTokensPerSecond: z.number(), threads: z.number() }).nullable(),
    }),
  ),
});

describe("rta models", () => {
  it("lists each model with its size, whether its file is whole, and the speed measured here", async () => {
    const models = join(scratch, "models");
    const cache = join(scratch, "speed.json");
    mkdirSync(models);
    // A sparse file of the right size counts as present; a short one is an interrupted download.
    writeFileSync(join(models, "SmolLM2-135M-Instruct.Q4_1.gguf"), "");
    truncateSync(join(models, "SmolLM2-135M-Instruct.Q4_1.gguf"), 98_362_432);
    writeFileSync(join(models, "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"), "partial");
    const speed = { loadMs: 900, timeToFirstTokenMs: 120, promptTokens: 30, decodeTokensPerSecond: 61.5 };
    const measured = { ...speed, threads: 1, loadAverage: 0.5, date: "2026-11-27T00:00:00.000Z" };
    writeFileSync(cache, JSON.stringify({ models: { "smollm2-135m": measured } }));
    const env = { RTA_MODELS_DIR: models, RTA_SPEED_CACHE: cache, RTA_LOCAL_MODEL: "smollm2-135m" };

    const result = await rta(env, "--json");
    expect(result.status).toBe(0);
    const rows = listing.parse(JSON.parse(result.stdout)).models;
    expect(rows.map((row) => [row.name, row.file, row.inUse])).toEqual([
      ["qwen2.5-coder-0.5b", "incomplete", false],
      ["smollm2-135m", "present", true],
      ["qwen2.5-coder-1.5b", "missing", false],
    ]);
    expect(rows[1]!.speed).toMatchObject({ decodeTokensPerSecond: 61.5, threads: 1 });

    const text = (await rta(env)).stdout;
    expect(text).toContain("61.5 tok/s (1 thread, 2026-11-27, load average 0.5)");
    expect(text).toContain("missing: npm run setup -- qwen2.5-coder-1.5b");
  });

  it("--measure runs a present model and keeps its figures for the listing", async () => {
    const cache = join(scratch, "measured.json");
    const result = await rta({ RTA_SPEED_CACHE: cache }, "--measure", "smollm2-135m", "--threads", "1");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/smollm2-135m: load [\d.]+ s, first token \d+ ms .* [\d.]+ tok\/s \(1 thread/);
    const rows = listing.parse(JSON.parse((await rta({ RTA_SPEED_CACHE: cache }, "--json")).stdout)).models;
    expect(rows.find((row) => row.name === "smollm2-135m")?.speed?.decodeTokensPerSecond).toBeGreaterThan(0);
  });
});
