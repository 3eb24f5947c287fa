import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{core,runtime,plugins,server,cli,evals,benchmarks,client,deploy}/**/*.test.ts"],
    // Hang guards, not latency checks: local-model tests are bounded by tokens, and on a busy machine
    // (another process on the cores) a bounded test can still take minutes.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
    // Many files load the local model or start a server that does; running them one at a time avoids
    // oversubscribing the CPU, which slows llama.cpp far more than it saves.
    fileParallelism: false,
    // Tests that need "a real local model" get the tiny, fast SmolLM2; the tests of Qwen's format name
    // their model themselves. `npm test` fetches both (package.json pretest).
    env: { NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true", RTA_LOCAL_MODEL: "smollm2-135m" },
  },
});
