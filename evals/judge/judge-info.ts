import type { Estimate } from "../stats/bootstrap.ts";

/** Who judged a run, and how well that judge agreed with human labels when last calibrated. */
export interface JudgeInfo {
  provider: string;
  model: string;
  calibration: {
    accuracy: Estimate;
    kappa: Estimate;
    position_bias: Estimate;
    measured_at: string;
    items: number;
  } | null;
}
