import type { ErrorCode } from "./errors.ts";
import type { TokenUsage } from "./messages.ts";

/** Per-turn timings in milliseconds. `steps` sums time spent in each step of the turn loop. */
export interface TurnTimings {
  timeToFirstTokenMs: number | undefined;
  totalMs: number;
  steps: Record<TurnStep, number>;
}

export type TurnStep = "loadContext" | "inputGuard" | "model" | "tools" | "store";

export type TurnOutcome = "completed" | "aborted";

/**
 * The one stream a turn produces. The server maps each event to exactly one WebSocket frame;
 * evals and benchmarks consume it directly. Every turn ends with `turn-finish` or `error`.
 */
export type AgentEvent =
  | { type: "turn-start"; turnId: string; sessionId: string }
  | { type: "text-delta"; turnId: string; text: string }
  | { type: "tool-call"; turnId: string; callId: string; name: string; arguments: Record<string, unknown> }
  | {
      type: "tool-result";
      turnId: string;
      callId: string;
      name: string;
      result?: unknown;
      error?: { code: ErrorCode; message: string; retryable: boolean };
      durationMs: number;
    }
  | { type: "system-event"; turnId: string; event: string; message: string; data?: Record<string, unknown> }
  | {
      type: "turn-finish";
      turnId: string;
      outcome: TurnOutcome;
      text: string;
      toolsUsed: string[];
      usage: TokenUsage;
      provider: string;
      model: string;
      /** USD for this turn's tokens, when the model's price is known. */
      costUsd?: number;
      timings: TurnTimings;
    }
  | { type: "error"; turnId: string; code: ErrorCode; message: string; retryable: boolean };

export type AgentEventType = AgentEvent["type"];
