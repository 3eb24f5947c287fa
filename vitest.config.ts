import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{core,runtime,plugins,server,cli,evals,benchmarks,client}/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Many files load the local model (threads = all cores) or start a server that does; running them
    // one at a time avoids oversubscribing the CPU, which slows llama.cpp far more than it saves.
    fileParallelism: false,
    env: { NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" },
  },
});
