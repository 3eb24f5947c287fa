import { spawn } from "node:child_process";
import { ProviderError, UserInputError } from "realtime-agent";

export interface SpeechOptions {
  /** An espeak-ng voice: a language ("en", "es", "es-419") with an optional variant ("en+f3"). */
  voice: string;
  /** 0.25 … 4, as OpenAI's speech API (1: espeak-ng's 175 words a minute). */
  speed?: number;
  signal?: AbortSignal;
  /** The espeak-ng command (default `espeak-ng` on the PATH). */
  command?: string;
}

/** Texts longer than this are refused (OpenAI's speech API takes 4,096 characters). */
export const maxSpeechChars = 4_096;

const voicePattern = /^[a-z]{2,3}(-[a-z0-9]{1,8})?(\+[a-z0-9]{1,8})?$/;

/**
 * Speaks a text with espeak-ng (Debian's `espeak-ng` package): 16-bit mono PCM WAV at 22,050 Hz. The
 * text goes through standard input, never the command line; the voice is checked against a pattern
 * first. espeak-ng writes a WAV header whose sizes are unknown when it streams: they are set here.
 */
export async function synthesizeSpeech(text: string, options: SpeechOptions): Promise<Buffer> {
  const input = text.trim();
  if (!input) throw new UserInputError("INPUT_EMPTY", "There is no text to speak.");
  if (input.length > maxSpeechChars)
    throw new UserInputError(
      "INPUT_TOO_LONG",
      `The text has ${input.length} characters; the limit is ${maxSpeechChars}.`,
    );
  if (!voicePattern.test(options.voice))
    throw new UserInputError(
      "INPUT_MALFORMED",
      `${JSON.stringify(options.voice)} is not a voice name (such as "en" or "es").`,
    );
  const speed = options.speed ?? 1;
  if (!(speed >= 0.25 && speed <= 4)) throw new UserInputError("INPUT_MALFORMED", "speed must be between 0.25 and 4.");
  const wordsPerMinute = String(Math.round(175 * speed));
  const child = spawn(
    options.command ?? "espeak-ng",
    ["--stdout", "--stdin", "-v", options.voice, "-s", wordsPerMinute],
    {
      stdio: ["pipe", "pipe", "pipe"],
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  const chunks: Buffer[] = [];
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8").slice(0, 500);
  });
  child.stdin.on("error", () => undefined);
  child.stdin.end(input);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new ProviderError("SPEECH_UNAVAILABLE", "Speech needs espeak-ng: apt-get install espeak-ng.")
          : error.name === "AbortError"
            ? new UserInputError("TURN_ABORTED", "The speech was cancelled.")
            : new ProviderError("SPEECH_UNAVAILABLE", `espeak-ng could not start: ${error.message}`),
      ),
    );
    child.once("close", resolve);
  });
  if (exitCode !== 0) {
    if (/voice does not exist/i.test(stderr))
      throw new UserInputError("INPUT_MALFORMED", `espeak-ng has no voice ${JSON.stringify(options.voice)}.`);
    throw new ProviderError("SPEECH_UNAVAILABLE", `espeak-ng failed (exit ${exitCode}): ${stderr.trim()}`);
  }
  return withWavSizes(Buffer.concat(chunks));
}

/** A streamed WAV with its RIFF and data sizes set from the bytes it has. */
export function withWavSizes(wav: Buffer): Buffer {
  if (wav.length < 44 || wav.toString("latin1", 0, 4) !== "RIFF" || wav.toString("latin1", 8, 12) !== "WAVE")
    throw new ProviderError("SPEECH_UNAVAILABLE", "espeak-ng wrote no WAV audio.");
  wav.writeUInt32LE(wav.length - 8, 4);
  // The chunks after "fmt ": find "data" and set its size to what follows it.
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString("latin1", offset, offset + 4);
    if (id === "data") {
      wav.writeUInt32LE(wav.length - offset - 8, offset + 4);
      break;
    }
    offset += 8 + wav.readUInt32LE(offset + 4);
  }
  return wav;
}
