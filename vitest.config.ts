import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{core,plugins,server,cli,evals,benchmarks}/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" },
  },
});
