/**
 * Scores the calls kept in BFCL reports again with today's AST match, without running any model: what
 * a change of the scorer alone moves (e.g. BFCL's string standardization). With `--with-repairs`, the
 * kept calls first go through today's argument repairs (core/models/local/argument-repairs.ts and
 * described-formats.ts): what those alone would have moved. Prints, per report and category, cases
 * passed before and after, and the cases whose verdict changed.
 *
 *   node --import tsx evals/suites/bfcl/rescore.ts [--with-repairs] evals/results/<run>/report.json [...]
 */
import { readFile } from "node:fs/promises";
import { repairedArguments, withDescribedFormats } from "realtime-agent";
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

const withRepairs = process.argv.includes("--with-repairs");

/** A kept call as today's repairs would have sent it (the request is the case's user messages). */
function repaired(call: ModelCall, testCase: BfclCase): ModelCall {
  const schema = testCase.functions.find((fn) => fn.name === call.name)?.parameters as
    | { properties?: Record<string, unknown>; required?: string[] }
    | undefined;
  const request = testCase.messages
    .filter((message) => message.role === "user")
    .map((message) => message.content)
    .join("\n");
  return {
    ...call,
    arguments: withDescribedFormats(repairedArguments(call.arguments, schema, request), schema, request),
  };
}

for (const file of process.argv.slice(2).filter((argument) => !argument.startsWith("--"))) {
  const report = JSON.parse(await readFile(file, "utf8")) as { cases: KeptCase[] };
  const tally = new Map<string, { n: number; before: number; after: number }>();
  const flipped: string[] = [];
  for (const kept of report.cases) {
    const testCase = casesById.get(kept.id);
    if (!testCase) throw new Error(`${file}: case ${kept.id} is not in the dataset`);
    const before = kept.scores.ast?.pass === true;
    const calls = (kept.tool_calls ?? []).map((call) => (withRepairs ? repaired(call, testCase) : call));
    const after = matchCalls(calls, testCase.groundTruth, testCase.functions).pass;
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
