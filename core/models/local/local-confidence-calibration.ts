import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { ConfidenceCalibration } from "../confidence-calibration.ts";

/** The calibrations of the catalogue's models, written by evals/confidence/fit-confidence.ts. */
export const localConfidenceCalibrationFile = fileURLToPath(new URL("./confidence-calibration.json", import.meta.url));

const calibrationsSchema = z.record(
  z.string(),
  z.object({ slope: z.number(), intercept: z.number(), fittedOn: z.string().optional() }),
);

let calibrations: Record<string, ConfidenceCalibration> | undefined;

/** A catalogue model's confidence calibration, if one was fitted for it. */
export function localConfidenceCalibration(modelName: string | undefined): ConfidenceCalibration | undefined {
  if (modelName === undefined) return undefined;
  calibrations ??= readCalibrations();
  return calibrations[modelName];
}

/** The file's calibrations, read once; a missing or malformed file calibrates nothing (raw confidence). */
function readCalibrations(): Record<string, ConfidenceCalibration> {
  if (!existsSync(localConfidenceCalibrationFile)) return {};
  try {
    return calibrationsSchema.parse(JSON.parse(readFileSync(localConfidenceCalibrationFile, "utf8")));
  } catch {
    return {};
  }
}
