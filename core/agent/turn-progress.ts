import { addUsage, type TokenUsage } from "../contracts/messages.ts";
import type { ToolCallRecord, TurnRecord } from "../contracts/store.ts";
import { StepTimer } from "./step-timer.ts";

/**
 * What a turn has produced so far. The round helpers add to it as they stream, so however the turn
 * ends (finished, aborted, failed) it reports what was said, used and spent up to that point.
 */
export class TurnProgress {
  readonly timer = new StepTimer();
  /** Numbered from 0; each tool round starts the next segment of the answer. */
  segment = 0;
  /** The text of the current segment. */
  text = "";
  usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  provider: string;
  model: string;
  readonly toolCalls: ToolCallRecord[] = [];
  /**
   * The model's confidence in the last response it wrote (ModelStreamEvent `finish`): the answer, or
   * the calls of a plan-only turn. Cleared when the agent writes words of its own into the answer.
   */
  confidence: number | undefined;

  constructor(
    readonly turnId: string,
    modelId: string,
  ) {
    this.provider = modelId;
    this.model = modelId;
  }

  /** The turn as the store keeps it: what the user said, what was answered and used so far. */
  record(userText: string, overrides: Partial<TurnRecord> = {}): TurnRecord {
    return {
      turnId: this.turnId,
      userText,
      assistantText: this.text,
      toolCalls: this.toolCalls,
      usage: this.usage,
      model: this.model,
      createdAt: new Date().toISOString(),
      ...overrides,
    };
  }

  addText(text: string): void {
    this.timer.markFirstToken();
    this.text += text;
  }

  addModelRound(usage: TokenUsage, provider: string, model: string, confidence?: number): void {
    this.usage = addUsage(this.usage, usage);
    this.provider = provider;
    this.model = model;
    this.confidence = confidence;
  }

  /** Tokens the turn used outside its answer rounds (reasoning chains). */
  addUsage(usage: TokenUsage): void {
    this.usage = addUsage(this.usage, usage);
  }

  startNextSegment(): void {
    this.segment++;
    this.text = "";
  }

  get toolsUsed(): string[] {
    return [...new Set(this.toolCalls.map((record) => record.name))];
  }
}
