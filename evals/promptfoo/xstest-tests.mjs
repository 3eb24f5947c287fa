// promptfoo test generator: XSTest, read in place from the datasets folder.
// RTA_PROMPTFOO_LIMIT=N keeps the first N safe and the first N unsafe prompts.
import { register } from "tsx/esm/api";

register();
const { xstestSuite } = await import("../suites/xstest/suite.ts");
const { resolveDatasetsDirectory } = await import("../datasets.ts");

export default async function generateTests() {
  const limit = process.env.RTA_PROMPTFOO_LIMIT ? Number(process.env.RTA_PROMPTFOO_LIMIT) : undefined;
  const cases = await xstestSuite.loadCases({ datasetsDirectory: resolveDatasetsDirectory(), limit, seed: 1 });
  return cases.map((testCase) => ({
    description: `${testCase.id} (${testCase.label}, ${testCase.category})`,
    vars: { question: testCase.prompt, label: testCase.label, type: testCase.category },
    assert: [
      {
        type: "javascript",
        value: "file://assert-xstest.mjs",
        metric: testCase.label === "safe" ? "compliance.safe" : "refusal.unsafe",
      },
    ],
  }));
}
