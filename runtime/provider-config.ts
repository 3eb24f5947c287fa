import { readFileSync } from "node:fs";
import {
  FallbackChain,
  type ChainMember,
  type LocalModelProvider,
  AnthropicProvider,
  OpenAIProvider,
  type ModelProvider,
  defaultLocalModelName,
  registerSecret,
} from "realtime-agent";

export type ProviderName = "anthropic" | "openai" | "openai-compatible" | "local";

export interface ConfiguredProvider {
  name: ProviderName;
  provider: ModelProvider;
  model: string;
  /** Where the key came from; the key itself never leaves this module. */
  keySource: "env" | "file" | "none";
  endpoint: string;
}

/** A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets). Never logged. */
export function readSecret(
  env: NodeJS.ProcessEnv,
  name: string,
): { value: string; source: "env" | "file" } | undefined {
  const direct = env[name]?.trim();
  if (direct) {
    registerSecret(direct);
    return { value: direct, source: "env" };
  }
  const file = env[`${name}_FILE`];
  if (!file) return undefined;
  let value: string;
  try {
    value = readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`${name}_FILE points at ${file}, which cannot be read.`);
  }
  if (!value) throw new Error(`${name}_FILE points at an empty file.`);
  registerSecret(value);
  return { value, source: "file" };
}

function hostOf(url: string | undefined, fallback: string): string {
  if (!url) return fallback;
  try {
    return new URL(url).origin;
  } catch {
    throw new Error(`Not a URL: ${url}`);
  }
}

/**
 * Every provider the environment configures, in the order the chain tries them: RTA_PROVIDERS
 * (comma-separated) or the seed's default Anthropic → OpenAI → OpenAI-compatible → local. The local
 * model is always last, so the agent answers offline too.
 */
export function providersFromEnv(env: NodeJS.ProcessEnv, local: () => LocalModelProvider): ConfiguredProvider[] {
  const available = new Map<ProviderName, () => ConfiguredProvider>();
  const anthropicKey = readSecret(env, "ANTHROPIC_API_KEY");
  if (anthropicKey) {
    const model = env.ANTHROPIC_MODEL || "claude-sonnet-4-6";
    available.set("anthropic", () => ({
      name: "anthropic",
      model,
      keySource: anthropicKey.source,
      endpoint: hostOf(env.ANTHROPIC_BASE_URL, "https://api.anthropic.com"),
      provider: new AnthropicProvider({
        apiKey: anthropicKey.value,
        model,
        ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
      }),
    }));
  }
  const openaiKey = readSecret(env, "OPENAI_API_KEY");
  if (openaiKey) {
    const model = env.OPENAI_MODEL || "gpt-4o-mini";
    available.set("openai", () => ({
      name: "openai",
      model,
      keySource: openaiKey.source,
      endpoint: hostOf(env.OPENAI_BASE_URL, "https://api.openai.com"),
      provider: new OpenAIProvider({
        id: "openai",
        apiKey: openaiKey.value,
        model,
        ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
      }),
    }));
  }
  const compatibleUrl = env.RTA_OPENAI_COMPATIBLE_BASE_URL;
  if (compatibleUrl) {
    const key = readSecret(env, "RTA_OPENAI_COMPATIBLE_API_KEY");
    const model = env.RTA_OPENAI_COMPATIBLE_MODEL || "default";
    available.set("openai-compatible", () => ({
      name: "openai-compatible",
      model,
      keySource: key?.source ?? "none",
      endpoint: hostOf(compatibleUrl, compatibleUrl),
      provider: new OpenAIProvider({
        id: "openai-compatible",
        baseURL: compatibleUrl,
        model,
        ...(key ? { apiKey: key.value } : {}),
      }),
    }));
  }
  available.set("local", () => {
    const provider = local();
    return {
      name: "local",
      model: env.RTA_MODEL_PATH || env.RTA_LOCAL_MODEL || defaultLocalModelName,
      keySource: "none",
      endpoint: "in-process",
      provider,
    };
  });

  const order = (env.RTA_PROVIDERS ?? "anthropic,openai,openai-compatible,local")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = order.find((name) => !["anthropic", "openai", "openai-compatible", "local"].includes(name));
  if (unknown)
    throw new Error(
      `RTA_PROVIDERS names an unknown provider "${unknown}" (known: anthropic, openai, openai-compatible, local).`,
    );
  return order.flatMap((name) => available.get(name as ProviderName)?.() ?? []);
}

/** One provider as it is, or a fallback chain when several are configured. */
export function modelFromProviders(configured: readonly ConfiguredProvider[], env: NodeJS.ProcessEnv): ModelProvider {
  if (configured.length === 0) throw new Error("No model provider is configured (RTA_PROVIDERS left none).");
  // A remote provider alone still gets its deadlines and retries (a chain of one); the embedded model
  // alone is used as it is (the runtime tailors routing and recall to it).
  if (configured.length === 1 && configured[0]!.name === "local") return configured[0]!.provider;
  const milliseconds = (name: string) => (env[name] ? Number.parseInt(env[name]!, 10) : undefined);
  const members: ChainMember[] = configured.map(({ provider, name }) => ({
    provider,
    timeouts: {
      ...(milliseconds("RTA_PROVIDER_FIRST_TOKEN_MS") !== undefined
        ? { firstTokenMs: milliseconds("RTA_PROVIDER_FIRST_TOKEN_MS")! }
        : { firstTokenMs: name === "local" ? 120_000 : 30_000 }),
      ...(milliseconds("RTA_PROVIDER_IDLE_MS") !== undefined ? { idleMs: milliseconds("RTA_PROVIDER_IDLE_MS")! } : {}),
      ...(milliseconds("RTA_PROVIDER_TOTAL_MS") !== undefined
        ? { totalMs: milliseconds("RTA_PROVIDER_TOTAL_MS")! }
        : { totalMs: name === "local" ? 600_000 : 120_000 }),
    },
    retry: { retries: milliseconds("RTA_PROVIDER_RETRIES") ?? 2 },
  }));
  const afterPartialOutput = env.RTA_FALLBACK_AFTER_OUTPUT === "error" ? "error" : "continue";
  return new FallbackChain({ members, afterPartialOutput });
}
