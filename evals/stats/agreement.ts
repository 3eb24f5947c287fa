/** Cohen's kappa between two raters over the same items (labels compared with ===). */
export function cohensKappa<L>(pairs: readonly { expected: L; predicted: L }[]): number {
  const n = pairs.length;
  if (n === 0) return Number.NaN;
  const labels = [...new Set(pairs.flatMap((pair) => [pair.expected, pair.predicted]))];
  const observed = pairs.filter((pair) => pair.expected === pair.predicted).length / n;
  let chance = 0;
  for (const label of labels) {
    const expectedShare = pairs.filter((pair) => pair.expected === label).length / n;
    const predictedShare = pairs.filter((pair) => pair.predicted === label).length / n;
    chance += expectedShare * predictedShare;
  }
  if (chance === 1) return observed === 1 ? 1 : 0;
  return (observed - chance) / (1 - chance);
}
