import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { calibrateConfidence } from "../confidence-calibration.ts";
import { localConfidenceCalibration, localConfidenceCalibrationFile } from "./local-confidence-calibration.ts";
import { modelCatalogue } from "./model-catalogue.ts";

describe("the shipped confidence calibrations", () => {
  const shipped = JSON.parse(readFileSync(localConfidenceCalibrationFile, "utf8")) as Record<string, unknown>;

  it("are for models of the catalogue, each a monotone map that keeps the order of answers", () => {
    const names = new Set(modelCatalogue.models.map((model) => model.name));
    expect(Object.keys(shipped).length).toBeGreaterThan(0);
    for (const name of Object.keys(shipped)) {
      expect(names.has(name)).toBe(true);
      const calibration = localConfidenceCalibration(name)!;
      expect(calibration.slope).toBeGreaterThan(0);
      expect(calibrateConfidence(0.9, calibration)).toBeGreaterThan(calibrateConfidence(0.6, calibration));
      expect(calibration.fittedOn).toMatch(/dev split/);
    }
  });

  it("leaves a model without one at its raw confidence", () => {
    expect(localConfidenceCalibration("no-such-model")).toBeUndefined();
    expect(localConfidenceCalibration(undefined)).toBeUndefined();
  });
});
