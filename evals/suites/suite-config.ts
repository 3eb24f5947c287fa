import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

/** A suite's run configuration (evals/suites/<suite>/config.json); command-line flags override it. */
export const suiteConfigSchema = z
  .object({
    /** The model under test; "local" is the embedded default (more providers come with their adapters). */
    provider: z.enum(["local"]).default("local"),
    concurrency: z.number().int().min(1).max(64).default(2),
    repeat: z.number().int().min(1).max(100).default(1),
    seed: z.number().int().default(1),
    /** Whether judged scores are on by default. */
    judge: z.boolean().default(false),
  })
  .strict();

export type SuiteConfig = z.infer<typeof suiteConfigSchema>;

export function loadSuiteConfig(suiteName: string): SuiteConfig {
  const url = new URL(`./${suiteName}/config.json`, import.meta.url);
  if (!existsSync(url)) return suiteConfigSchema.parse({});
  const parsed = suiteConfigSchema.safeParse(JSON.parse(readFileSync(url, "utf8")));
  if (!parsed.success)
    throw new Error(
      `evals/suites/${suiteName}/config.json: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  return parsed.data;
}
