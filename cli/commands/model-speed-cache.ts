import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { ModelSpeed } from "../../benchmarks/local-model-speed.ts";

const speedSchema = z.object({
  loadMs: z.number(),
  timeToFirstTokenMs: z.number(),
  promptTokens: z.number(),
  decodeTokensPerSecond: z.number(),
  threads: z.number(),
  loadAverage: z.number(),
  date: z.string(),
});
const cacheSchema = z.object({ models: z.record(z.string(), speedSchema) });

/** Where `rta models --measure` keeps its figures (git-ignored): RTA_SPEED_CACHE, else .rta/model-speed.json. */
export function speedCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.RTA_SPEED_CACHE || join(dirname(fileURLToPath(import.meta.url)), "../../.rta/model-speed.json"));
}

/** The last measured speed of each model on this machine; empty when nothing was measured or the file is unreadable. */
export function readSpeedCache(path: string): Record<string, ModelSpeed> {
  if (!existsSync(path)) return {};
  try {
    const parsed = cacheSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    return parsed.success ? parsed.data.models : {};
  } catch {
    return {};
  }
}

export function recordSpeed(path: string, modelName: string, speed: ModelSpeed): void {
  const models = { ...readSpeedCache(path), [modelName]: speed };
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify({ models }, null, 2)}\n`);
  renameSync(partial, path);
}
