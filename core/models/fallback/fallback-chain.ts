import { type AgentError, ProviderError, toAgentError, UserInputError } from "../../contracts/errors.ts";
import type { ChatMessage } from "../../contracts/messages.ts";
import type { ModelCapabilities, ModelProvider, ModelRequest, ModelStreamEvent } from "../../contracts/model.ts";
import { CircuitBreaker, type CircuitBreakerOptions } from "./circuit-breaker.ts";
import { backoffDelayMs, sleep, type RetryPolicy } from "./retry.ts";
import { streamWithTimeouts, type StreamTimeouts } from "./timeouts.ts";

export interface ChainMember {
  provider: ModelProvider;
  timeouts?: StreamTimeouts;
  retry?: RetryPolicy;
  breaker?: CircuitBreakerOptions;
}

export interface FallbackChainOptions {
  members: readonly ChainMember[];
  /**
   * When a provider fails after part of the answer was streamed: `continue` asks the next provider to
   * carry on from that text and marks the answer as resumed (default); `error` ends the turn with the error.
   */
  afterPartialOutput?: "continue" | "error";
  random?: () => number;
}

export const resumeInstruction =
  "Your previous answer was cut off. Continue it exactly where it stopped, without repeating anything.";

/**
 * Tries providers in order (the seed's default: Anthropic → OpenAI → local). Each gets its own
 * timeouts, retries with backoff and jitter (only for retryable failures before any output, honouring
 * retry-after) and a circuit breaker. Every retry, skip and fallback is reported as a typed event
 * (`provider-retry`, `provider-skipped`, `provider-fallback`), which the turn passes on as it is.
 */
export class FallbackChain implements ModelProvider {
  readonly id = "fallback";
  readonly #members: readonly ChainMember[];
  readonly #breakers: CircuitBreaker[];
  readonly #afterPartialOutput: "continue" | "error";
  readonly #random: () => number;

  constructor(options: FallbackChainOptions) {
    if (options.members.length === 0)
      throw new ProviderError("PROVIDER_NOT_CONFIGURED", "A fallback chain needs at least one provider.");
    this.#members = options.members;
    this.#breakers = options.members.map((member) => new CircuitBreaker(member.breaker));
    this.#afterPartialOutput = options.afterPartialOutput ?? "continue";
    this.#random = options.random ?? Math.random;
  }

  get capabilities(): ModelCapabilities {
    const all = this.#members.map((member) => member.provider.capabilities);
    return {
      toolCalling: all.every((capability) => capability.toolCalling),
      // Images go to the members that read them (the others are skipped for such a request).
      vision: all.some((capability) => capability.vision),
      contextTokens: Math.min(...all.map((capability) => capability.contextTokens)),
    };
  }

  get providers(): readonly ModelProvider[] {
    return this.#members.map((member) => member.provider);
  }

  breakerState(providerId: string): string | undefined {
    const index = this.#members.findIndex((member) => member.provider.id === providerId);
    return index >= 0 ? this.#breakers[index]!.state : undefined;
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    let streamed = "";
    let messages: readonly ChatMessage[] = request.messages;
    let lastError: AgentError | undefined;
    // Said only when no provider that reads images failed for a reason of its own.
    let visionRefusal: AgentError | undefined;
    const needsVision = request.messages.some((message) => message.role === "user" && message.images?.length);
    for (const [index, member] of this.#members.entries()) {
      const breaker = this.#breakers[index]!;
      const next = this.#members[index + 1]?.provider.id;
      if (needsVision && !member.provider.capabilities.vision) {
        visionRefusal ??= new UserInputError("INPUT_UNSUPPORTED", `${member.provider.id} reads no images.`);
        if (next)
          yield {
            type: "provider-skipped",
            provider: member.provider.id,
            to: next,
            message: `${member.provider.id} is skipped: it reads no images.`,
          };
        continue;
      }
      if (!breaker.tryAcquire()) {
        lastError ??= new ProviderError(
          "PROVIDER_UNAVAILABLE",
          `${member.provider.id}: circuit open after repeated failures.`,
        );
        if (next)
          yield {
            type: "provider-skipped",
            provider: member.provider.id,
            to: next,
            message: `${member.provider.id} is skipped: its circuit is open after repeated failures.`,
          };
        continue;
      }
      for (let attempt = 0; ; attempt++) {
        let outputHere = false;
        const heldToolCalls: ModelStreamEvent[] = [];
        try {
          for await (const event of streamWithTimeouts(
            member.provider,
            { ...request, messages },
            member.timeouts ?? {},
          )) {
            if (event.type === "tool-call") {
              heldToolCalls.push(event);
              continue;
            }
            if (event.type === "finish") {
              breaker.recordSuccess();
              yield* heldToolCalls;
              yield { ...event, provider: member.provider.id };
              return;
            }
            if (event.type === "text-delta") {
              outputHere = true;
              streamed += event.text;
            }
            yield event;
          }
          throw new ProviderError("PROVIDER_FAILED", `${member.provider.id}: the stream ended without a finish event.`);
        } catch (error) {
          const failure = toAgentError(error);
          if (request.signal?.aborted || failure.code === "TURN_ABORTED") throw failure;
          breaker.recordFailure();
          lastError = failure;
          const retries = member.retry?.retries ?? 2;
          if (!outputHere && failure.retryable && attempt < retries && breaker.state === "closed") {
            const delay = backoffDelayMs(
              attempt,
              member.retry ?? {},
              numberOr(failure.details?.retryAfterMs),
              this.#random,
            );
            if (delay !== undefined) {
              yield {
                type: "provider-retry",
                provider: member.provider.id,
                attempt: attempt + 1,
                delayMs: delay,
                code: failure.code,
                message: `${member.provider.id} failed (${failure.code}); retrying in ${delay} ms.`,
              };
              await sleep(delay, request.signal);
              continue;
            }
          }
          if (streamed && this.#afterPartialOutput === "error") throw failure;
          if (!next) throw failure;
          const resumed = streamed.length > 0;
          yield {
            type: "provider-fallback",
            from: member.provider.id,
            to: next,
            code: failure.code,
            resumed,
            message: `${member.provider.id} failed (${failure.code}); ${resumed ? "resuming the answer" : "answering"} with ${next}.`,
          };
          if (resumed)
            messages = [
              ...request.messages,
              { role: "assistant", content: streamed },
              { role: "user", content: resumeInstruction },
            ];
          break;
        }
      }
    }
    throw (
      lastError ?? visionRefusal ?? new ProviderError("PROVIDER_UNAVAILABLE", "No provider in the chain could answer.")
    );
  }
}

function numberOr(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
