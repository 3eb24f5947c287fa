import { ProviderError } from "../contracts/errors.ts";
import type { AgentEvent } from "../contracts/events.ts";
import type { ToolCallRequest } from "../contracts/messages.ts";
import type { FinishReason, ModelProvider, ModelRequest } from "../contracts/model.ts";
import type { TurnProgress } from "./turn-progress.ts";
import type { GuardDecision } from "../safety/safety-guard.ts";
import { SentenceGate } from "../safety/sentence-gate.ts";
import { defaultEarlyRelease, EarlyRelease, type EarlyReleaseOptions } from "../safety/early-release.ts";

export interface ModelRoundResult {
  /** This round's text (the turn's current answer segment). */
  text: string;
  toolCalls: ToolCallRequest[];
  finishReason: FinishReason;
  /** The output guard's block, when it held back a sentence (the rest of the response was dropped). */
  blocked?: GuardDecision;
  /** The blocked sentence's start had been shown (early release): the answer stops mid-sentence. */
  cutShort?: boolean;
}

/** Checks one sentence of the answer before it is shown (SafetyGuard.checkOutput). */
export type OutputCheck = (sentence: string) => Promise<GuardDecision>;

/** Showing the start of a sentence before it ends (see EarlyRelease). */
export interface EarlyReleasePolicy extends EarlyReleaseOptions {
  /** A sentence so far that scores this or more on the output check is held until it ends. */
  holdAtScore: number;
}

export const defaultEarlyReleasePolicy: EarlyReleasePolicy = { ...defaultEarlyRelease, holdAtScore: 0.5 };

/**
 * Streams one model response as turn events: text of the current answer segment as it arrives, and the
 * provider's retries, skips and fallbacks. Records text, usage and model time in the turn's progress, and
 * returns what the model decided. With an output check, text is shown a sentence at a time once the
 * check passed it, and the response ends before a blocked sentence. With `early` too, the start of a
 * sentence is shown before it ends once the check passed it with the words after it; a sentence whose
 * start does not pass is held whole, and is then shown or blocked as a whole sentence is.
 */
export async function* runModelRound(
  provider: ModelProvider,
  request: ModelRequest,
  turn: TurnProgress,
  checkOutput?: OutputCheck,
  early?: EarlyReleasePolicy,
): AsyncGenerator<AgentEvent, ModelRoundResult> {
  const started = performance.now();
  const toolCalls: ToolCallRequest[] = [];
  const gate = checkOutput ? new SentenceGate() : undefined;
  const starts = checkOutput && early ? new EarlyRelease(early) : undefined;
  let text = "";
  let blocked: GuardDecision | undefined;
  let cutShort = false;
  function show(piece: string): AgentEvent {
    text += piece;
    turn.addText(piece);
    return { type: "text-delta", turnId: turn.turnId, text: piece, segment: turn.segment };
  }
  /** Shows checked sentences (what of them is not shown yet); returns false once one is blocked. */
  async function* release(sentences: readonly string[]): AsyncGenerator<AgentEvent, boolean> {
    for (const sentence of sentences) {
      if (checkOutput && sentence.trim()) {
        const decision = await checkOutput(sentence);
        if (decision.action === "block") {
          blocked = decision;
          cutShort = (starts?.showing ?? 0) > 0;
          yield { type: "guard", turnId: turn.turnId, ...decision };
          return false;
        }
      }
      const rest = starts ? starts.rest(sentence) : sentence;
      if (rest) yield show(rest);
    }
    return true;
  }
  /** Shows the start of the unfinished sentence when the check passes it with the words after it. */
  async function* releaseStart(): AsyncGenerator<AgentEvent> {
    if (!starts || !gate || !checkOutput || !early) return;
    const candidate = starts.candidate(gate.held);
    if (!candidate) return;
    const decision = await checkOutput(candidate.probe);
    if (decision.action === "block" || (decision.score ?? 0) >= early.holdAtScore) return starts.hold();
    starts.shown(candidate.show);
    yield show(candidate.show);
  }
  const finished = (finishReason: FinishReason): ModelRoundResult => ({
    text,
    toolCalls,
    finishReason,
    ...(blocked ? { blocked } : {}),
    ...(cutShort ? { cutShort } : {}),
  });
  try {
    for await (const event of provider.stream(request)) {
      switch (event.type) {
        case "text-delta":
          if (event.text.length === 0) break;
          if (!(yield* release(gate ? gate.push(event.text) : [event.text]))) return finished("stop");
          yield* releaseStart();
          break;
        case "tool-call":
          toolCalls.push({ callId: event.callId, name: event.name, arguments: event.arguments });
          break;
        case "finish":
          turn.addModelRound(event.usage, event.provider ?? provider.id, event.model, event.confidence);
          if (gate) yield* release([gate.flush()]);
          return finished(event.reason);
        default:
          yield { ...event, turnId: turn.turnId };
      }
    }
  } finally {
    turn.timer.add("model", performance.now() - started);
  }
  throw new ProviderError("PROVIDER_FAILED", `Provider ${provider.id} ended its stream without a finish event.`);
}
