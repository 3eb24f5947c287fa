import { parseArgs } from "node:util";
import { LocalModelProvider, toAgentError, type ModelProvider } from "realtime-agent";
import { providersFromEnv } from "realtime-agent/runtime";
import { runtimeConfigFromEnv } from "realtime-agent/runtime";

export const providersUsage = `rta providers [--json] [--no-probe]
  Lists the model providers the environment configures, in fallback order, and whether each answers
  (a one-token request, 15 s at most). Keys are never shown, only where they come from.`;

interface ProviderStatus {
  name: string;
  model: string;
  endpoint: string;
  key: "env" | "file" | "none";
  capabilities: ModelProvider["capabilities"];
  answers: boolean | null;
  latency_ms: number | null;
  error: { code: string; message: string } | null;
}

async function probe(provider: ModelProvider): Promise<Pick<ProviderStatus, "answers" | "latency_ms" | "error">> {
  const started = performance.now();
  try {
    for await (const _event of provider.stream({
      messages: [{ role: "user", content: "Say OK." }],
      tools: [],
      toolChoice: "none",
      maxOutputTokens: 1,
      signal: AbortSignal.timeout(15_000),
    })) {
      /* drain */
    }
    return { answers: true, latency_ms: Math.round(performance.now() - started), error: null };
  } catch (error) {
    const agentError = toAgentError(error);
    return {
      answers: false,
      latency_ms: Math.round(performance.now() - started),
      error: { code: agentError.code, message: agentError.message },
    };
  }
}

export async function providersCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" }, "no-probe": { type: "boolean" } } });
  const config = runtimeConfigFromEnv();
  const configured = providersFromEnv(
    process.env,
    () => new LocalModelProvider({ ...(config.modelPath ? { modelPath: config.modelPath } : {}) }),
  );
  const statuses: ProviderStatus[] = [];
  for (const entry of configured) {
    const result = values["no-probe"] ? { answers: null, latency_ms: null, error: null } : await probe(entry.provider);
    statuses.push({
      name: entry.name,
      model: entry.model,
      endpoint: entry.endpoint,
      key: entry.keySource,
      capabilities: entry.provider.capabilities,
      ...result,
    });
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ providers: statuses }, null, 2)}\n`);
  } else {
    for (const [index, status] of statuses.entries()) {
      const state =
        status.answers === null
          ? "not probed"
          : status.answers
            ? `answers (${status.latency_ms} ms)`
            : `fails: ${status.error?.code} ${status.error?.message}`;
      process.stdout.write(
        `${index + 1}. ${status.name.padEnd(18)} ${status.model.padEnd(40)} ${status.endpoint.padEnd(28)} key: ${status.key.padEnd(4)}  ${state}\n`,
      );
    }
  }
  return statuses.some((status) => status.answers === true || status.answers === null) ? 0 : 1;
}
