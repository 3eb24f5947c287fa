import { UserInputError } from "../contracts/errors.ts";

export interface InputGuardOptions {
  /** Longest accepted message, in characters (default 8,000). */
  maxInputChars?: number;
  /** An empty text is a message too (it carries images). */
  allowEmpty?: boolean;
}

export const defaultMaxInputChars = 8_000;

/** The first guard: rejects empty and over-long input. The content safety layer builds on this later. */
export function guardInput(text: string, options: InputGuardOptions = {}): string {
  const maxChars = options.maxInputChars ?? defaultMaxInputChars;
  const trimmed = text.trim();
  if (trimmed.length === 0 && !options.allowEmpty) throw new UserInputError("INPUT_EMPTY", "The message is empty.");
  if (trimmed.length > maxChars) {
    throw new UserInputError(
      "INPUT_TOO_LONG",
      `The message has ${trimmed.length} characters; the limit is ${maxChars}.`,
    );
  }
  return trimmed;
}
