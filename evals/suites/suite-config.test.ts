import { describe, expect, it } from "vitest";
import { suites } from "./index.ts";
import { loadSuiteConfig, suiteConfigSchema } from "./suite-config.ts";

describe("suite configs", () => {
  it("every built-in suite has a valid config.json", () => {
    for (const name of Object.keys(suites)) {
      expect(loadSuiteConfig(name).provider).toBe("local");
    }
    expect(loadSuiteConfig("dialogue")).toMatchObject({ repeat: 3, judge: true });
  });

  it("rejects unknown keys and providers", () => {
    expect(suiteConfigSchema.safeParse({ provider: "gpt-9" }).success).toBe(false);
    expect(suiteConfigSchema.safeParse({ concurency: 2 }).success).toBe(false);
  });
});
