/** What every scorer returns for one case: a score in [0, 1], whether it passes, and why. */
export interface ScoreResult {
  score: number;
  pass: boolean;
  reason: string;
}

export function verdict(pass: boolean, reason: string): ScoreResult {
  return { score: pass ? 1 : 0, pass, reason };
}
