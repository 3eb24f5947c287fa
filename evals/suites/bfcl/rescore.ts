/**
 * Scores the calls kept in BFCL reports again with today's AST match, without running any model: what
 * a change of the scorer alone moves (e.g. BFCL's string standardization). Prints, per report and
 * category, cases passed before and after, and the cases whose verdict changed.
 *
 *   node --import tsx evals/suites/bfcl/rescore.ts evals/results/<run>/report.json [...]
 */
import { readFile } from "node:fs/promises";
import { matchCalls, type ModelCall } from "../../bfcl/ast-match.ts";
import { bfclCategories, type BfclCase, loadBfclCategory } from "../../bfcl/dataset.ts";
import { resolveDatasetsDirectory } from "../../datasets.ts";

interface KeptCase {
  id: string;
  category: string;
  tool_calls?: ModelCall[];
  scores: { ast?: { pass: boolean } };
}

const datasets = resolveDatasetsDirectory();
const casesById = new Map<string, BfclCase>();
for (const category of bfclCategories) {
  for (const testCase of await loadBfclCategory(datasets, category)) casesById.set(testCase.id, testCase);
}

for (const file of process.argv.slice(2)) {
  const report = JSON.parse(await readFile(file, "utf8")) as { cases: KeptCase[] };
  const tally = new Map<string, { n: number; before: number; after: number }>();
  const flipped: string[] = [];
  for (const kept of report.cases) {
    const testCase = casesById.get(kept.id);
    if (!testCase) throw new Error(`${file}: case ${kept.id} is not in the dataset`);
    const before = kept.scores.ast?.pass === true;
    const after = matchCalls(kept.tool_calls ?? [], testCase.groundTruth, testCase.functions).pass;
    const row = tally.get(kept.category) ?? { n: 0, before: 0, after: 0 };
    row.n += 1;
    row.before += before ? 1 : 0;
    row.after += after ? 1 : 0;
    tally.set(kept.category, row);
    if (before !== after) flipped.push(`${kept.id}: ${before ? "pass → fail" : "fail → pass"}`);
  }
  console.log(file);
  for (const [category, row] of tally) {
    console.log(
      `  ${category}: ${row.before}/${row.n} (${(row.before / row.n).toFixed(3)}) → ${row.after}/${row.n} (${(row.after / row.n).toFixed(3)})`,
    );
  }
  for (const line of flipped) console.log(`    ${line}`);
}
