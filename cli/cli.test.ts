import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = join(dirname(fileURLToPath(import.meta.url)), "../bin/rta.js");
const rta = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000 });

describe("rta command", () => {
  it("ask streams an answer with the calculator, then prints time to first token, total time and tokens", () => {
    const result = rta("ask", "What is 12.5% of 3,480?");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("calculator");
    expect(result.stdout).toContain("435");
    expect(result.stderr).toMatch(/time to first token \d+ ms · total \d+ ms · tokens \d+ in \/ \d+ out/);
  });

  it("explains its usage and rejects unknown commands and missing questions", () => {
    expect(rta("help").stdout).toContain("rta serve");
    const unknown = rta("fly");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "fly"');
    expect(rta("ask").status).toBe(2);
    expect(rta("serve", "--port", "99999").stderr).toContain("--port must be 0-65535");
  });

  it("chat answers lines from standard input until it closes", () => {
    const result = spawnSync(process.execPath, [bin, "chat"], {
      input: "Name a colour.\n/exit\n",
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("agent ›");
    expect(result.stdout).toMatch(/time to first token \d+ ms/);
  });
});

describe("rta providers", () => {
  it("lists configured providers, probes each, and never prints a key", async () => {
    const { LoopbackApiServer, anthropicStream } = await import("realtime-agent/testing");
    const server = new LoopbackApiServer();
    const url = await server.start();
    server.reply({ kind: "sse", events: anthropicStream.text(["OK"]) });
    try {
      const result = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, "providers", "--json"], {
          env: {
            ...process.env,
            RTA_PROVIDERS: "anthropic,openai",
            ANTHROPIC_API_KEY: "sk-ant-very-secret",
            ANTHROPIC_BASE_URL: url,
            OPENAI_API_KEY: "sk-openai-very-secret",
            OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
          },
        });
        let stdout = "";
        child.stdout.on("data", (chunk) => {
          stdout += chunk;
        });
        child.on("exit", (status) => resolve({ status, stdout }));
      });
      expect(result.status).toBe(0);
      const { providers } = JSON.parse(result.stdout);
      expect(
        providers.map((provider: { name: string; answers: boolean; key: string }) => [
          provider.name,
          provider.answers,
          provider.key,
        ]),
      ).toEqual([
        ["anthropic", true, "env"],
        ["openai", false, "env"],
      ]);
      expect(providers[1].error.code).toBe("PROVIDER_UNAVAILABLE");
      expect(result.stdout).not.toMatch(/very-secret/);
    } finally {
      await server.close();
    }
  });
});

describe("rta tools", () => {
  it("lists built-in tools with schemas, and loads plugins from a folder with their config", async () => {
    const { mkdirSync, writeFileSync, rmSync } = await import("node:fs");
    const root = join(dirname(fileURLToPath(import.meta.url)), "..");
    const folder = join(root, ".rta", `plugins-${process.pid}`);
    mkdirSync(join(folder, "shout"), { recursive: true });
    writeFileSync(
      join(folder, "shout", "index.ts"),
      `import { z } from "zod";
export default { name: "shout", version: "1.0.0", configSchema: z.object({ suffix: z.string() }),
  tools: (config: { suffix: string }) => [{ name: "shout", description: "Shouts a text back in capitals.", inputSchema: z.object({ text: z.string() }),
    timeoutMs: 100, cacheTtlMs: 0, networkHosts: [], execute: ({ text }: { text: string }) => text.toUpperCase() + config.suffix }] };\n`,
    );
    writeFileSync(join(folder, "config.json"), JSON.stringify({ shout: { suffix: "!" } }));
    try {
      const listed = spawnSync(process.execPath, [bin, "tools", "--json"], {
        encoding: "utf8",
        env: { ...process.env, RTA_PLUGINS_DIR: folder, RTA_PLUGINS_CONFIG: join(folder, "config.json") },
      });
      expect(listed.status).toBe(0);
      const { tools } = JSON.parse(listed.stdout);
      expect(tools.map((tool: { name: string }) => tool.name)).toEqual([
        "calculator",
        "currency",
        "weather",
        "web_search",
        "market_price",
        "shout",
      ]);
      expect(tools[0]).toMatchObject({
        plugin: "calculator",
        timeout_ms: 5000,
        input_schema: { type: "object", required: ["expression"] },
      });
      expect(tools[2]).toMatchObject({
        cache_ttl_ms: 0,
        network_hosts: ["geocoding-api.open-meteo.com", "api.open-meteo.com"],
      });
      const unconfigured = spawnSync(process.execPath, [bin, "tools"], {
        encoding: "utf8",
        env: { ...process.env, RTA_PLUGINS_DIR: folder },
      });
      expect(unconfigured.status).toBe(1);
      expect(unconfigured.stderr).toMatch(/Plugin "shout" is not configured correctly: suffix/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
