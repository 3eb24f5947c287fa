import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FallbackChain, LocalModelProvider, costOf, defaultPrices, loadPrices } from "realtime-agent";
import { modelFromProviders, providersFromEnv, readSecret } from "./provider-config.ts";

const local = () => new LocalModelProvider();

describe("provider configuration", () => {
  it("runs on the local model alone when nothing else is configured", () => {
    const configured = providersFromEnv({}, local);
    expect(configured.map((entry) => entry.name)).toEqual(["local"]);
    expect(modelFromProviders(configured, {})).toBeInstanceOf(LocalModelProvider);
  });

  it("orders Anthropic, OpenAI, an OpenAI-compatible server, then local, and chains them", () => {
    const env = {
      ANTHROPIC_API_KEY: "sk-ant-1",
      OPENAI_API_KEY: "sk-2",
      RTA_OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:11434/v1",
      RTA_OPENAI_COMPATIBLE_MODEL: "llama3",
    };
    const configured = providersFromEnv(env, local);
    expect(configured.map((entry) => [entry.name, entry.keySource])).toEqual([
      ["anthropic", "env"],
      ["openai", "env"],
      ["openai-compatible", "none"],
      ["local", "none"],
    ]);
    const chain = modelFromProviders(configured, env);
    expect(chain).toBeInstanceOf(FallbackChain);
    expect((chain as FallbackChain).providers.map((provider) => provider.id)).toEqual([
      "anthropic",
      "openai",
      "openai-compatible",
      "local",
    ]);
  });

  it("gives a remote provider alone its deadlines and retries (a chain of one)", () => {
    const env = { OPENAI_API_KEY: "sk-openai-test-key", RTA_PROVIDERS: "openai", RTA_PROVIDER_RETRIES: "0" };
    const alone = modelFromProviders(providersFromEnv(env, local), env);
    expect(alone).toBeInstanceOf(FallbackChain);
    expect((alone as FallbackChain).providers.map((provider) => provider.id)).toEqual(["openai"]);
  });

  it("honours RTA_PROVIDERS and rejects unknown names", () => {
    expect(
      providersFromEnv({ OPENAI_API_KEY: "k", RTA_PROVIDERS: "local,openai" }, local).map((entry) => entry.name),
    ).toEqual(["local", "openai"]);
    expect(() => providersFromEnv({ RTA_PROVIDERS: "gemini" }, local)).toThrow(/unknown provider "gemini"/);
  });

  it("reads keys from secret files, and says so without showing them", () => {
    const directory = mkdtempSync(join(tmpdir(), "rta-secret-"));
    writeFileSync(join(directory, "key"), "sk-from-file\n");
    expect(readSecret({ OPENAI_API_KEY_FILE: join(directory, "key") }, "OPENAI_API_KEY")).toEqual({
      value: "sk-from-file",
      source: "file",
    });
    const [openai] = providersFromEnv({ OPENAI_API_KEY_FILE: join(directory, "key"), RTA_PROVIDERS: "openai" }, local);
    expect(openai!.keySource).toBe("file");
    expect(JSON.stringify({ ...openai, provider: undefined })).not.toContain("sk-from-file");
    expect(() => readSecret({ OPENAI_API_KEY_FILE: join(directory, "missing") }, "OPENAI_API_KEY")).toThrow(
      /cannot be read/,
    );
  });
});

describe("prices", () => {
  it("costs a turn from the table, matches dated snapshots, and has no figure for unknown models", () => {
    expect(
      costOf(defaultPrices, "anthropic", "claude-sonnet-4-5-20250929", {
        inputTokens: 1_000_000,
        outputTokens: 100_000,
      }),
    ).toBeCloseTo(4.5);
    expect(costOf(defaultPrices, "local", "SmolLM2", { inputTokens: 500, outputTokens: 500 })).toBe(0);
    expect(costOf(defaultPrices, "openai", "some-new-model", { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
  });

  it("lets a file add and override prices", () => {
    const file = join(mkdtempSync(join(tmpdir(), "rta-prices-")), "prices.json");
    writeFileSync(
      file,
      JSON.stringify({
        "some-new-model": { input_per_million: 1, output_per_million: 2 },
        "gpt-4o-mini": { input_per_million: 0, output_per_million: 0 },
      }),
    );
    const prices = loadPrices(file);
    expect(costOf(prices, "openai", "some-new-model", { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(3);
    expect(costOf(prices, "openai", "gpt-4o-mini", { inputTokens: 10, outputTokens: 10 })).toBe(0);
  });
});
