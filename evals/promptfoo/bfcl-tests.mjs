// promptfoo test generator: BFCL simple, read in place from the datasets folder.
// RTA_PROMPTFOO_LIMIT=N keeps the first N cases.
import { register } from "tsx/esm/api";

register();
const { loadBfclCategory } = await import("../bfcl/dataset.ts");
const { resolveDatasetsDirectory } = await import("../datasets.ts");

export default async function generateTests() {
  const limit = process.env.RTA_PROMPTFOO_LIMIT ? Number(process.env.RTA_PROMPTFOO_LIMIT) : undefined;
  const cases = await loadBfclCategory(resolveDatasetsDirectory(), "simple", limit);
  return cases.map((testCase) => ({
    description: testCase.id,
    vars: {
      question: testCase.messages
        .filter((message) => message.role === "user")
        .map((message) => message.content)
        .join("\n"),
      functions: testCase.functions,
      ground_truth: testCase.groundTruth,
    },
    assert: [{ type: "javascript", value: "file://assert-bfcl.mjs" }],
  }));
}
