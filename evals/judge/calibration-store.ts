import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Judge } from "./judge.ts";
import type { JudgeInfo } from "./judge-info.ts";

const calibrationDirectory = resolve(dirname(fileURLToPath(import.meta.url)), "..", "calibration");
const estimate = z.object({ value: z.number(), ci_low: z.number(), ci_high: z.number(), n: z.number() });
const calibrationSchema = z.object({
  accuracy: estimate,
  kappa: estimate,
  position_bias: estimate,
  measured_at: z.string(),
  items: z.number(),
});

export function calibrationPath(judge: Judge): string {
  return join(calibrationDirectory, `${judge.id}.json`);
}

/** Loads the figures of the last `judge-calibration` run for this judge, if there was one. */
export function loadCalibration(judge: Judge): JudgeInfo["calibration"] {
  const path = calibrationPath(judge);
  if (!existsSync(path)) return null;
  const parsed = calibrationSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  return parsed.success ? parsed.data : null;
}

export function saveCalibration(judge: Judge, calibration: NonNullable<JudgeInfo["calibration"]>): string {
  const path = calibrationPath(judge);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `${JSON.stringify({ judge: { provider: judge.provider.id, model: judge.info.model }, ...calibration }, null, 2)}\n`,
  );
  return path;
}
