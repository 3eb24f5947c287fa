import express, { type Router } from "express";
import { detectLanguage } from "realtime-agent";
import { z } from "zod";
import type { Authenticator } from "../auth/request-auth.ts";
import { requireChatKey, sendAgentError, sendError } from "../http-errors.ts";
import { synthesizeSpeech } from "./espeak-speech.ts";

/** OpenAI's voice names: a request that names one is spoken in the text's own language. */
const openAIVoices = new Set([
  "alloy",
  "ash",
  "ballad",
  "coral",
  "echo",
  "fable",
  "nova",
  "onyx",
  "sage",
  "shimmer",
  "verse",
]);

const requestSchema = z.object({
  input: z.string(),
  model: z.string().optional(),
  voice: z.string().max(32).optional(),
  speed: z.number().optional(),
  response_format: z.enum(["wav"]).optional(),
});

/**
 * Speech output (optional, needs Debian's espeak-ng): `POST /v1/audio/speech` with OpenAI's request
 * shape (`input`, `voice`, `speed`; `response_format` "wav" only) answers a WAV file. Without a voice
 * (or with one of OpenAI's names) the text is spoken in its own language, English or Spanish or the
 * others the agent tells apart. Two syntheses run at once; more are refused SERVER_BUSY.
 */
export function speechRouter(options: { auth: Authenticator; command?: string; concurrency?: number }): Router {
  const router = express.Router();
  let running = 0;
  const concurrency = options.concurrency ?? 2;
  router.use(requireChatKey(options.auth));
  router.post("/", express.json({ limit: 64 * 1024 }), async (request, response) => {
    const parsed = requestSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return void sendError(response, "INPUT_MALFORMED", `${issue.path.join(".") || "body"}: ${issue.message}`);
    }
    const { input, voice, speed } = parsed.data;
    if (running >= concurrency)
      return void sendError(response, "SERVER_BUSY", `${concurrency} texts are being spoken; try again in a moment.`);
    const controller = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) controller.abort();
    });
    running++;
    try {
      const audio = await synthesizeSpeech(input, {
        voice: !voice || openAIVoices.has(voice) ? (detectLanguage(input)?.language ?? "en") : voice,
        ...(speed !== undefined ? { speed } : {}),
        signal: controller.signal,
        ...(options.command ? { command: options.command } : {}),
      });
      response.type("audio/wav").send(audio);
    } catch (error) {
      if (!response.headersSent) sendAgentError(response, error);
    } finally {
      running--;
    }
  });
  return router;
}
