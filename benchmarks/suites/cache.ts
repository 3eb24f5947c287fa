import {
  Agent,
  type AgentEvent,
  type CacheScope,
  SafetyGuard,
  SemanticCache,
  SyntheticModel,
  missingLocalEmbedderFiles,
} from "realtime-agent";
import type { Embedder } from "realtime-agent";
import { sharedLocalEmbedder } from "realtime-agent/runtime";
import type { BenchmarkDefinition } from "../bench-types.ts";

const dimensions = 384;
const scope: CacheScope = { owner: "bench", tools: "calculator@1.0.0", model: "local", language: "en" };

/** Random unit vectors: the worst case for an index (real questions cluster); the scan costs the same. */
function unitVector(): Float32Array {
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let index = 0; index < dimensions; index++) {
    vector[index] = Math.random() - 0.5;
    norm += (vector[index] as number) ** 2;
  }
  for (let index = 0; index < dimensions; index++) (vector as Float32Array)[index]! /= Math.sqrt(norm);
  return vector;
}

const noEmbedder: Embedder = {
  id: "bench/none",
  dimensions,
  embed: async () => {
    throw new Error("the benchmark passes vectors itself");
  },
};

/**
 * The semantic cache's lookup in one scope holding 1,000, 10,000 and 100,000 entries, with an exact
 * scan and with the HNSW index (usearch), questions already embedded: the index's own cost.
 */
export function cacheBenchmarks(): BenchmarkDefinition[] {
  const sizes = [1_000, 10_000, 100_000];
  const lookups = (["exact", "hnsw"] as const).flatMap((kind) =>
    sizes.map((entries) => lookupBenchmark(kind, entries)),
  );
  if (missingLocalEmbedderFiles().length > 0) return lookups;
  return [...lookups, hitTurnBenchmark(false), hitTurnBenchmark(true)];
}

/**
 * A whole turn answered from the cache, in process, on the local embedder: the question embedded and
 * looked up, the answer streamed, the turn stored (in memory), `turn-start` to `turn-finish`; with and
 * without the safety guard in front (rules and classifier: one more embedding).
 */
function hitTurnBenchmark(guarded: boolean): BenchmarkDefinition {
  const embedder = sharedLocalEmbedder();
  const cache = new SemanticCache(embedder);
  const safety = guarded ? new SafetyGuard({ embedder, abuse: false }) : undefined;
  const agent = new Agent({
    model: SyntheticModel.streaming({ tokens: 8, timeToFirstTokenMs: 0, tokenIntervalMs: 0 }),
    cache,
    ...(safety ? { safety } : {}),
  });
  let session = 0;
  return {
    name: `cache.hit_turn${guarded ? "_guarded" : ""}`,
    group: "cache",
    unit: "ms",
    setup: async () => {
      await safety?.load();
      for await (const _ of agent.runTurn({ sessionId: "bench-first", text: "What is the capital of Spain?" })) {
      }
      // The answer is kept in the background, after the turn has finished.
      while (cache.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    },
    run: async () => {
      let hit = false;
      for await (const event of agent.runTurn({ sessionId: `bench-${session++}`, text: "what's the capital of Spain" }))
        if ((event as AgentEvent).type === "turn-finish")
          hit = (event as { cacheHit?: unknown }).cacheHit !== undefined;
      if (!hit) throw new Error("the cached answer was not served");
    },
  };
}

function lookupBenchmark(kind: "exact" | "hnsw", entries: number): BenchmarkDefinition {
  const cache = new SemanticCache(noEmbedder, { maxEntries: entries, exactIndex: kind === "exact" });
  const queries = Array.from({ length: 64 }, unitVector);
  let next = 0;
  return {
    name: `cache.${kind}.lookup_${entries}`,
    group: "cache",
    unit: "ms",
    setup: async () => {
      for (let index = 0; index < entries; index++)
        await cache.store(`question ${index}`, scope, { text: "answer", toolsUsed: [] }, { vector: unitVector() });
    },
    teardown: async () => {
      cache.invalidate();
    },
    run: () => cache.nearest("question", queries[next++ % queries.length] as Float32Array, scope),
  };
}
