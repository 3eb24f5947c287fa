/**
 * Fits the local model's confidence calibration on an eval run and says how it does on the cases it
 * was not fitted on.
 *
 *   RTA_CONFIDENCE_CALIBRATION=off npx rta eval exact-answers --out RUN
 *   node --import tsx evals/confidence/fit-confidence.ts --from RUN/report.json [--write]
 *
 * Fits Platt scaling on the run's `dev` cases (the raw confidence against the suite's correctness
 * score), prints the reliability of the `held-out` cases raw and calibrated, and with --write keeps
 * the fit in core/models/local/confidence-calibration.json under the catalogue's name of the model.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  type CalibrationSummary,
  calibrateConfidence,
  type ConfidenceCalibration,
  fitConfidenceCalibration,
  localConfidenceCalibrationFile,
  modelCatalogue,
  summarizeCalibration,
} from "realtime-agent";
import { readReport } from "../runner/file-store.ts";
import type { RunReport } from "../runner/types.ts";

export interface ConfidenceFit {
  calibration: ConfidenceCalibration;
  fittedOn: number;
  heldOut: { raw: CalibrationSummary; calibrated: CalibrationSummary };
}

type Sample = { confidence: number; correct: boolean };

/** The samples of a report's split: each case with a confidence, against the report's calibration score. */
export function confidenceSamples(report: RunReport, split: string): Sample[] {
  const score = report.calibration?.score;
  if (!score)
    throw new Error(`The ${report.suite} report has no calibration section (its suite sets no confidenceScore).`);
  return report.cases.flatMap((result) => {
    const confidence = result.values.confidence;
    const scored = result.scores[score];
    if (result.error || !scored || confidence === undefined || !Number.isFinite(confidence)) return [];
    return result.tags.split === split ? [{ confidence, correct: scored.pass }] : [];
  });
}

/** Fits on the dev split and measures on the held-out one. */
export function fitOnReport(report: RunReport): ConfidenceFit {
  const dev = confidenceSamples(report, "dev");
  const heldOut = confidenceSamples(report, "held-out");
  if (dev.length < 10 || heldOut.length < 10)
    throw new Error(
      `Too few answers with a confidence to fit and check (dev ${dev.length}, held-out ${heldOut.length}).`,
    );
  const fit = fitConfidenceCalibration(dev);
  const calibration = {
    ...fit,
    fittedOn: `${report.suite} dev split, ${dev.length} answers, run ${report.run_id}`,
  };
  return {
    calibration,
    fittedOn: dev.length,
    heldOut: {
      raw: summarizeCalibration(heldOut),
      calibrated: summarizeCalibration(
        heldOut.map((sample) => ({ ...sample, confidence: calibrateConfidence(sample.confidence, calibration) })),
      ),
    },
  };
}

/** The catalogue's name of the model a report ran (reports name the GGUF file without `.gguf`). */
export function catalogueNameOf(report: RunReport): string {
  const model = modelCatalogue.models.find((entry) => entry.fileName.replace(/\.gguf$/i, "") === report.config.model);
  if (!model) throw new Error(`The report's model ${report.config.model} is not in the local catalogue.`);
  return model.name;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: "string" }, write: { type: "boolean" } } });
  if (!values.from) throw new Error("--from REPORT.json is required.");
  const report = readReport(values.from);
  const fit = fitOnReport(report);
  const line = (name: string, summary: CalibrationSummary) =>
    `| ${name} | ${summary.n} | ${summary.ece.toFixed(3)} | ${summary.brier.toFixed(3)} |`;
  console.log(
    [
      `Platt scaling fitted on ${fit.fittedOn} dev answers: slope ${fit.calibration.slope.toFixed(4)}, intercept ${fit.calibration.intercept.toFixed(4)}.`,
      "",
      "| held-out answers | n | ECE | Brier |",
      "| --- | --- | --- | --- |",
      line("raw confidence", fit.heldOut.raw),
      line("calibrated", fit.heldOut.calibrated),
    ].join("\n"),
  );
  if (values.write) {
    const name = catalogueNameOf(report);
    let kept: Record<string, ConfidenceCalibration> = {};
    try {
      kept = JSON.parse(readFileSync(localConfidenceCalibrationFile, "utf8"));
    } catch {
      // First calibration.
    }
    kept[name] = {
      slope: Number(fit.calibration.slope.toFixed(6)),
      intercept: Number(fit.calibration.intercept.toFixed(6)),
      ...(fit.calibration.fittedOn ? { fittedOn: fit.calibration.fittedOn } : {}),
    };
    writeFileSync(localConfidenceCalibrationFile, `${JSON.stringify(kept, null, 2)}\n`);
    console.log(`\nKept for ${name} in ${localConfidenceCalibrationFile}.`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
