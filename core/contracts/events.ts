import type { ErrorCode } from "./errors.ts";
import type { TokenUsage } from "./messages.ts";
import type { ProviderEvent } from "./model.ts";

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
 *
 * Answer segments: the text of each model round is one segment, numbered from 0; a tool round between
 * two model rounds starts the next segment. Text before tool calls ("Let me check…") is thus told apart
 * from the answer that follows their results; `turn-finish` names the segment its `text` is.
 */
export type AgentEvent =
  | { type: "turn-start"; turnId: string; sessionId: string }
  | { type: "text-delta"; turnId: string; text: string; segment: number }
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
  | (ProviderEvent & { turnId: string })
  /** The model used its last tool round; the next model round must answer in text. */
  | { type: "tool-rounds-exhausted"; turnId: string; maxToolRounds: number; message: string }
  | {
      type: "turn-finish";
      turnId: string;
      outcome: TurnOutcome;
      /** The final answer: the text of segment `answerSegment` (the last one the turn reached). */
      text: string;
      answerSegment: number;
      toolsUsed: string[];
      usage: TokenUsage;
      provider: string;
      model: string;
      /** USD for this turn's tokens, when the model's price is known. */
      costUsd?: number;
      /**
       * How likely the answer is right (0 … 1): the model's confidence in what it wrote, calibrated
       * against eval correctness where the model has a calibration. Absent when the model exposes no
       * token probabilities or the answer is the agent's own words (a refusal, a service failure).
       */
      confidence?: number;
      timings: TurnTimings;
      /** Set when the answer came from the semantic cache: how similar the cached question was. */
      cacheHit?: { similarity: number };
      /** Set when the safety layer blocked the message or part of the answer: the text is its refusal. */
      blocked?: { stage: "input" | "tool-result" | "output"; category?: string };
    }
  | {
      /**
       * A safety decision (core/safety): the stage checked (the user's message, a tool's result, a
       * sentence of the answer), what was decided, by which layer, the category and its score.
       */
      type: "guard";
      turnId: string;
      stage: "input" | "tool-result" | "output";
      action: "allow" | "block";
      layer: "rules" | "classifier" | "abuse";
      category?: string;
      score: number;
      latencyMs: number;
      /** The tool call whose result was checked (stage "tool-result"). */
      callId?: string;
    }
  | {
      /** A semantic cache lookup: served or not, and the nearest cached question's similarity. */
      type: "cache-lookup";
      turnId: string;
      hit: boolean;
      nearestSimilarity: number | undefined;
      refused?: "specifics differ" | "specifics unsure";
    }
  | {
      /** The specialist the intent router gave the turn to (core/specialists), and whom it may consult. */
      type: "specialist";
      turnId: string;
      name: string;
      /** Its share of the router's vote (0 … 1). */
      share: number;
      /** Routed on the previous message with this one (a follow-up). */
      followUp: boolean;
      consultable: string[];
    }
  | {
      /** The reasoning chains of a turn that asked for them (TurnInput.reasoning), before their synthesis. */
      type: "reasoning-chains";
      turnId: string;
      chains: { kind: string; text: string; answer?: string }[];
      /** The answer more than one chain reached, the most often. */
      majority?: string;
    }
  | { type: "error"; turnId: string; code: ErrorCode; message: string; retryable: boolean };

export type AgentEventType = AgentEvent["type"];
