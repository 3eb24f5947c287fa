import type { ModelProvider } from "realtime-agent";
import { loadCalibration } from "./calibration-store.ts";
import { Judge } from "./judge.ts";

/**
 * The judge runs on the best configured provider; with none configured beyond the embedded default,
 * that is the local model. Its last calibration figures, if any, travel with every judged report.
 */
export async function createJudge(providers: { best: ModelProvider }): Promise<Judge> {
  const judge = new Judge(providers.best);
  // One tiny request learns the model's name, which keys the calibration file.
  await judge.warmUp();
  judge.calibration = loadCalibration(judge);
  return judge;
}
