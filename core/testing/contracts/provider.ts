import { describe, expect, it } from "vitest";
import { AgentError } from "../../contracts/errors.ts";
import type { ModelProvider, ModelRequest, ModelStreamEvent } from "../../contracts/model.ts";

/**
 * What every ModelProvider must do, whatever is behind it: the three obligations of its doc comment
 * (exactly one `finish`, a typed provider error for its own failures, a prompt stop on abort), plus
 * declared capabilities and well-formed tool calls. Each `prepare…` arranges, before its case, how the
 * provider answers the next request (scripted steps, a loopback reply); a case whose `prepare…` is
 * missing is skipped, because a real model cannot be made to show it.
 */
export interface ProviderContractSubject {
  name: string;
  provider: () => ModelProvider | Promise<ModelProvider>;
  /** Arrange for the next request to be answered with this text; omit for a real model (it answers as it will). */
  prepareText?: (text: string) => void | Promise<void>;
  /** Arrange for the next request to be answered with this one tool call. */
  prepareToolCall?: (call: { name: string; arguments: Record<string, unknown> }) => void | Promise<void>;
  /** Arrange for the next request to fail on the provider's side (an HTTP 400 from the API, say). */
  prepareFailure?: () => void | Promise<void>;
  /** Arrange for the next request to never answer (to test abort); a real model generating long enough will do. */
  prepareSilence?: () => void | Promise<void>;
  /** Why the cases without their `prepare…` cannot be arranged; shown in the skipped cases' titles. */
  skipReason?: string;
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

async function drain(provider: ModelProvider, overrides: Partial<ModelRequest> = {}): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of provider.stream(request(overrides))) events.push(event);
  return events;
}

export function runProviderContract(subject: ProviderContractSubject): void {
  const unless = (arranged: unknown) =>
    arranged ? "" : ` (skipped: ${subject.skipReason ?? "the subject cannot arrange it"})`;
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
      const events = await drain(provider);
      const finishes = events.filter((event) => event.type === "finish");
      expect(finishes).toHaveLength(1);
      expect(events.at(-1)!.type).toBe("finish");
      expect(events.some((event) => event.type === "text-delta")).toBe(true);
      const finish = finishes[0]!;
      if (finish.type !== "finish") throw new Error("unreachable");
      expect(finish.usage.outputTokens).toBeGreaterThan(0);
      expect(finish.model.length).toBeGreaterThan(0);
    });

    it.skipIf(!subject.prepareToolCall)(
      `streams a tool call with an id, the tool's name and object arguments, then finishes for tool calls${unless(subject.prepareToolCall)}`,
      async () => {
        await subject.prepareToolCall?.({ name: "calculator", arguments: { expression: "2+2" } });
        const provider = await subject.provider();
        const events = await drain(provider, {
          tools: [
            {
              name: "calculator",
              description: "Calculate an arithmetic expression.",
              inputSchema: {
                type: "object",
                properties: { expression: { type: "string" } },
                required: ["expression"],
              },
            },
          ],
          toolChoice: "auto",
        });
        const calls = events.filter((event) => event.type === "tool-call");
        expect(calls).toHaveLength(1);
        expect(calls[0]).toMatchObject({ name: "calculator", arguments: { expression: "2+2" } });
        if (calls[0]?.type !== "tool-call") throw new Error("unreachable");
        expect(calls[0].callId.length).toBeGreaterThan(0);
        expect(events.filter((event) => event.type === "finish")).toHaveLength(1);
        expect(events.at(-1)).toMatchObject({ type: "finish", reason: "tool-calls" });
      },
    );

    it.skipIf(!subject.prepareFailure)(
      `fails with a typed provider error, not a plain Error${unless(subject.prepareFailure)}`,
      async () => {
        await subject.prepareFailure?.();
        const provider = await subject.provider();
        const failure = await drain(provider).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(AgentError.isInstance(failure), `expected an AgentError, got ${String(failure)}`).toBe(true);
        expect((failure as AgentError).fault).toBe("provider");
      },
    );

    it.skipIf(!subject.prepareSilence)(
      `stops with TURN_ABORTED (or an abort finish) when the signal aborts${unless(subject.prepareSilence)}`,
      async () => {
        await subject.prepareSilence?.();
        const provider = await subject.provider();
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 30);
        const started = Date.now();
        try {
          const events = await drain(provider, { signal: controller.signal, maxOutputTokens: 2_000 });
          expect(events.at(-1)).toMatchObject({ type: "finish", reason: "abort" });
        } catch (error) {
          expect(AgentError.isInstance(error) && error.code).toBe("TURN_ABORTED");
        }
        expect(Date.now() - started).toBeLessThan(5_000);
      },
    );
  });
}
