import { describe, expect, it } from "vitest";
import { ProviderError } from "./errors.ts";
import { redactSecrets, registerSecret } from "./redact-secrets.ts";

describe("redactSecrets", () => {
  it("removes registered secrets and the shapes of common keys and tokens", () => {
    registerSecret("my-own-upstream-key-123");
    const echoed =
      "upstream said: invalid key my-own-upstream-key-123 (Authorization: Bearer abcdefghijklmnop), " +
      "sk-ant-api03-AAAAAAAAAAAAAAAA, sk-proj-BBBBBBBBBBBBBBBBBBBB, api_key=hunter2hunter2, rta_" +
      "C".repeat(43);
    const redacted = redactSecrets(echoed);
    for (const secret of [
      "my-own-upstream-key-123",
      "abcdefghijklmnop",
      "sk-ant-api03",
      "BBBBBBBB",
      "hunter2hunter2",
      "CCCCCCCC",
    ])
      expect(redacted).not.toContain(secret);
    expect(redacted).toContain("upstream said: invalid key [redacted]");
  });

  it("leaves ordinary text alone", () => {
    const text = "The weather in Tokyo is 14 °C; 1,234 sk-i resorts; token count 12.";
    expect(redactSecrets(text)).toBe(text);
  });

  it("applies to every error message, whatever raised it", () => {
    registerSecret("sekret-value-that-leaked");
    const error = new ProviderError("PROVIDER_FAILED", "openai: 500 echo sekret-value-that-leaked");
    expect(error.message).toBe("openai: 500 echo [redacted]");
    expect(JSON.stringify(error.toJSON())).not.toContain("sekret");
  });
});
