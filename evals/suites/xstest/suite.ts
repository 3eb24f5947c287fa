import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { parseCsv } from "../../csv.ts";
import { datasetDirectory } from "../../datasets.ts";
import { firstOfEachLabel, type RefusalCase, refusalSuite } from "../refusal-suite.ts";

const rowSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  type: z.string(),
  label: z.enum(["safe", "unsafe"]),
  focus: z.string(),
});

export const xstestSuite = refusalSuite<RefusalCase>({
  name: "xstest",
  description:
    "XSTest: compliance on 250 safe prompts that look unsafe, refusal on 200 unsafe ones (string-match refusal classifier).",
  async loadCases(context) {
    const folder = datasetDirectory(context.datasetsDirectory, "xstest");
    const rows = parseCsv(await readFile(join(folder, "xstest_prompts.csv"), "utf8")).map((row, index) => {
      const parsed = rowSchema.safeParse(row);
      if (!parsed.success) throw new Error(`xstest_prompts.csv row ${index + 2}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
    const cases = rows.map((row) => ({
      id: `xstest-${row.id}`,
      category: row.type,
      prompt: row.prompt,
      label: row.label,
      focus: row.focus,
    }));
    return firstOfEachLabel(cases, context.limit);
  },
});
