import {
  Agent,
  LocalMiniLmEmbedder,
  SafetyGuard,
  SpecialistRouter,
  SyntheticModel,
  missingLocalEmbedderFiles,
} from "realtime-agent";
import type { BenchmarkDefinition } from "../bench-types.ts";

const cities = ["Lisbon", "Oslo", "Quito", "Hanoi", "Lima", "Porto", "Turin", "Kyoto", "Cork", "Graz"];

/** A message no earlier sample sent (the embedder's recent texts never answer it). */
function freshMessage(index: number): string {
  return `Will it rain in ${cities[index % cities.length]} on day ${index} of the trip?`;
}

/**
 * What choosing a specialist adds to a turn, on the local embedder, with a model that answers at once:
 * a guarded turn (safety rules and classifier) without specialists, with the specialist router, and
 * with the router while the embedder embeds each text anew (`recentTexts: 0`) instead of once per turn.
 */
export function routingBenchmarks(): BenchmarkDefinition[] {
  if (missingLocalEmbedderFiles().length > 0) return [];
  return [
    guardedTurn("routing.guarded_turn", { specialists: false, reuse: true }),
    guardedTurn("routing.guarded_turn_specialists", { specialists: true, reuse: true }),
    guardedTurn("routing.guarded_turn_specialists_embed_each", { specialists: true, reuse: false }),
  ];
}

function guardedTurn(name: string, options: { specialists: boolean; reuse: boolean }): BenchmarkDefinition {
  const embedder = new LocalMiniLmEmbedder(options.reuse ? {} : { recentTexts: 0 });
  const safety = new SafetyGuard({ embedder, abuse: false });
  const router = options.specialists ? new SpecialistRouter({ embedder }) : undefined;
  const agent = new Agent({
    model: SyntheticModel.streaming({ tokens: 8, timeToFirstTokenMs: 0, tokenIntervalMs: 0 }),
    safety,
    ...(router ? { specialists: router } : {}),
  });
  let sample = 0;
  return {
    name,
    group: "routing",
    unit: "ms",
    setup: async () => {
      await Promise.all([safety.load(), router?.load()]);
    },
    run: async () => {
      const index = sample++;
      for await (const _event of agent.runTurn({ sessionId: `bench-${name}-${index}`, text: freshMessage(index) })) {
        // drain
      }
    },
  };
}
