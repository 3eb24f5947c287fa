import { describe, expect, it } from "vitest";
import { AgentError } from "../contracts/errors.ts";
import type { ModelProvider, ModelRequest, ModelStreamEvent } from "../contracts/model.ts";

/**
 * What every ModelProvider must do, whatever is behind it. `prepare` arranges, before each case, for
 * the provider to answer the next request with a short text (scripted steps, a loopback reply, or
 * nothing for a real model); cases a provider cannot be made to show are skipped with the reason.
 */
export interface ProviderContractSubject {
  name: string;
  provider: () => ModelProvider | Promise<ModelProvider>;
  prepareText?: (text: string) => void | Promise<void>;
  /** Arrange for the next request to never answer (to test abort); omit when that cannot be arranged. */
  prepareSilence?: () => void | Promise<void>;
}

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Say hello." },
  ],
  tools: [],
  toolChoice: "none",
  maxOutputTokens: 24,
  ...overrides,
});

export function runProviderContract(subject: ProviderContractSubject): void {
  describe(`provider contract (all providers): ${subject.name}`, () => {
    it("declares its capabilities", async () => {
      const provider = await subject.provider();
      expect(typeof provider.id).toBe("string");
      expect(provider.capabilities.contextTokens).toBeGreaterThan(0);
      expect(typeof provider.capabilities.toolCalling).toBe("boolean");
    });

    it("streams text and ends with exactly one finish event carrying usage and the model", async () => {
      await subject.prepareText?.("Hello there.");
      const provider = await subject.provider();
      const events: ModelStreamEvent[] = [];
      for await (const event of provider.stream(request())) events.push(event);
      const finishes = events.filter((event) => event.type === "finish");
      expect(finishes).toHaveLength(1);
      expect(events.at(-1)!.type).toBe("finish");
      expect(events.some((event) => event.type === "text-delta")).toBe(true);
      const finish = finishes[0]!;
      if (finish.type !== "finish") throw new Error("unreachable");
      expect(finish.usage.outputTokens).toBeGreaterThan(0);
      expect(finish.model.length).toBeGreaterThan(0);
    });

    it.skipIf(!subject.prepareSilence)(
      "stops with TURN_ABORTED (or an abort finish) when the signal aborts",
      async () => {
        await subject.prepareSilence?.();
        const provider = await subject.provider();
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 30);
        const started = Date.now();
        try {
          const events: ModelStreamEvent[] = [];
          for await (const event of provider.stream(request({ signal: controller.signal, maxOutputTokens: 2_000 })))
            events.push(event);
          expect(events.at(-1)).toMatchObject({ type: "finish", reason: "abort" });
        } catch (error) {
          expect(AgentError.isInstance(error) && error.code).toBe("TURN_ABORTED");
        }
        expect(Date.now() - started).toBeLessThan(5_000);
      },
    );
  });
}
