import { LocalModelProvider } from "realtime-agent";
import { runtimeAgentOptions, runtimeConfigFromEnv } from "realtime-agent/runtime";
import { InProcessDriver } from "../../evals/runner/in-process-driver.ts";
import type { EvalCase, EvalSuite, TurnDriver } from "../../evals/runner/types.ts";
import { WebSocketDriver } from "../../evals/runner/websocket-driver.ts";
import { suites } from "../../evals/suites/index.ts";

/** A suite by the name `rta eval` takes, narrowed to one category when given. */
export function suiteNamed(name: string, category?: string): EvalSuite {
  const suite = suites[name];
  if (!suite) throw new Error(`Unknown suite "${name}" (${Object.keys(suites).join(", ")}).`);
  return category ? onlyCategory(suite, category) : suite;
}

/**
 * The agent a run drives, as `rta eval` and `rta worker` both build it: the shipped runtime on the
 * local model (RTA_LOCAL_MODEL, RTA_THREADS…), tools routed as asked, or a server over WebSocket.
 */
export function evalDriver(
  routing: string,
  target?: string,
  profiles = false,
): { driver: TurnDriver; model: LocalModelProvider } {
  if (!["on", "off", "auto"].includes(routing))
    throw new Error(`--tool-routing must be on, off or auto, got "${routing}".`);
  const config = runtimeConfigFromEnv();
  const model = new LocalModelProvider({
    ...(config.modelPath ? { modelPath: config.modelPath } : {}),
    contextTokens: config.contextTokens,
    sequences: config.sequences,
    maxOutputTokens: config.maxOutputTokens,
    ...(config.prefixStateDirectory ? { prefixStateDirectory: config.prefixStateDirectory } : {}),
  });
  const driver: TurnDriver = target
    ? new WebSocketDriver(target)
    : new InProcessDriver(
        runtimeAgentOptions(config, { model, profiles, env: { ...process.env, RTA_TOOL_ROUTING: routing } }),
      );
  return { driver, model };
}

/** Whether a run of `suite` learns profiles: a suite that measures them does, unless RTA_PROFILES=off. */
export function learnsProfiles(suite: EvalSuite): boolean {
  return suite.profiles === true && process.env.RTA_PROFILES !== "off";
}

/** Narrows a suite to one category of its cases. */
function onlyCategory<Case extends EvalCase>(suite: EvalSuite<Case>, category: string): EvalSuite<Case> {
  return {
    ...suite,
    name: `${suite.name}-${category}`,
    loadCases: async (context) => {
      const cases = (await suite.loadCases({ ...context, limit: undefined })).filter(
        (item) => item.category === category,
      );
      if (cases.length === 0) throw new Error(`Suite ${suite.name} has no cases in category "${category}".`);
      return context.limit === undefined ? cases : cases.slice(0, context.limit);
    },
    metrics: suite.metrics.filter(
      (metric) =>
        !metric.name.includes(".") || metric.name.endsWith(`.${category}`) || !metric.name.startsWith("accuracy."),
    ),
  };
}
