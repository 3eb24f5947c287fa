import { randomUUID } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { type Agent, type AgentEvent, type ErrorCode, errorCodes, type ImageInput } from "realtime-agent";
import { type Authenticator, authenticateRequest } from "./auth/request-auth.ts";

/**
 * An OpenAI-compatible API in front of the agent, so any OpenAI client can use it:
 * POST /v1/chat/completions (streaming or not) and GET /v1/models. The agent runs its own tools on
 * the server; the client sees the answer. Conversations are stateless, as in the OpenAI API: the
 * client sends the history with each request.
 */
export const agentModelId = "realtime-agent";

const contentSchema = z.union([
  z.string(),
  z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()).transform((parts) =>
    parts
      .filter((part) => part.type === "text")
      .map((part) => part.text ?? "")
      .join(""),
  ),
  z.null().transform(() => ""),
]);
const requestSchema = z
  .object({
    model: z.string().optional(),
    messages: z
      .array(
        z
          .object({
            role: z.enum(["system", "developer", "user", "assistant", "tool"]),
            content: contentSchema.optional(),
          })
          .passthrough(),
      )
      .min(1),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullish(),
    max_tokens: z.number().int().positive().optional(),
    max_completion_tokens: z.number().int().positive().optional(),
    user: z.string().optional(),
    /** This platform's own: reasoning chains for a hard question, and the specialist to answer. */
    reasoning: z.enum(["single", "chains"]).optional(),
    specialist: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,31}$/)
      .optional(),
  })
  .passthrough();

/**
 * The images of a user message's content parts (`{"type": "image_url", "image_url": {"url": "data:…"}}`),
 * or why they cannot be taken: the server sends images on as bytes and fetches no URL.
 */
function imagesOf(content: unknown): ImageInput[] | string {
  if (!Array.isArray(content)) return [];
  const images: ImageInput[] = [];
  for (const part of content as { type?: unknown; image_url?: { url?: unknown } }[]) {
    if (part?.type !== "image_url") continue;
    const url = typeof part.image_url?.url === "string" ? part.image_url.url : "";
    const data = /^data:(image\/[a-z+.-]+);base64,(.*)$/s.exec(url);
    if (!data) return "An image_url must be a data: URL with base64 bytes; this server fetches no image.";
    images.push({ mediaType: data[1] as ImageInput["mediaType"], data: data[2]! });
  }
  return images;
}

function openAIError(
  response: Response,
  status: number,
  message: string,
  type: string,
  code: string | null = null,
): void {
  response.status(status).json({ error: { message, type, param: null, code } });
}

export function openAIRouter(options: { agent: Agent; auth: Authenticator; maxBodyBytes?: number }): Router {
  const router = express.Router();
  // The key is checked before the body is read: a client without one costs no parsing.
  router.use(async (request, response, next) => {
    const auth = await authenticateRequest(request, options.auth, "chat");
    if (auth.ok) {
      // Who repeated safety blocks count against: the key's owner, or the address without keys.
      response.locals.client = options.auth.enabled
        ? `key:${auth.principal.owner}`
        : `ip:${request.socket.remoteAddress ?? "?"}`;
      return next();
    }
    openAIError(
      response,
      auth.status,
      auth.reason,
      "invalid_request_error",
      auth.status === 401 ? "invalid_api_key" : "insufficient_scope",
    );
  });
  // Large enough for a message with an image (base64 in a data: URL) when the model reads images.
  const imageBodies = options.agent.model.capabilities.vision;
  router.use(express.json({ limit: options.maxBodyBytes ?? (imageBodies ? 8 * 1024 * 1024 : 256 * 1024) }));

  router.get("/models", (_request, response) => {
    response.json({
      object: "list",
      data: [{ id: agentModelId, object: "model", created: 1_764_000_000, owned_by: "realtime-agent" }],
    });
  });

  router.post("/chat/completions", async (request: Request, response: Response) => {
    const parsed = requestSchema.safeParse(request.body);
    if (!parsed.success) {
      return openAIError(
        response,
        400,
        `Invalid request: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
        "invalid_request_error",
      );
    }
    const body = parsed.data;
    const last = body.messages.at(-1)!;
    if (last.role !== "user")
      return openAIError(response, 400, "The last message must come from the user.", "invalid_request_error");
    const images = imagesOf((request.body as { messages: { content?: unknown }[] }).messages.at(-1)?.content);
    if (typeof images === "string") return openAIError(response, 400, images, "invalid_request_error");
    const history = body.messages.slice(0, -1).flatMap((message) => {
      const role = message.role === "developer" ? "system" : message.role;
      return role === "tool" ? [] : [{ role, content: message.content ?? "" }];
    });
    const controller = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) controller.abort();
    });
    const id = `chatcmpl-${randomUUID().replace(/-/g, "").slice(0, 24)}`;
    const created = Math.floor(Date.now() / 1000);
    const maxOutputTokens = body.max_completion_tokens ?? body.max_tokens;
    const turn = options.agent.runTurn({
      sessionId: `openai-${id}`,
      client: String(response.locals.client),
      text: last.content ?? "",
      history,
      signal: controller.signal,
      ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
      ...(body.reasoning ? { reasoning: body.reasoning } : {}),
      ...(images.length ? { images } : {}),
      ...(body.specialist ? { specialist: body.specialist } : {}),
    });

    if (!body.stream) {
      let finish: Extract<AgentEvent, { type: "turn-finish" }> | undefined;
      let failure: Extract<AgentEvent, { type: "error" }> | undefined;
      for await (const event of turn) {
        if (event.type === "turn-finish") finish = event;
        else if (event.type === "error") failure = event;
      }
      if (failure || !finish) return sendTurnError(response, failure);
      return response.json({
        id,
        object: "chat.completion",
        created,
        model: agentModelId,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: finish.text, refusal: null },
            logprobs: null,
            finish_reason: "stop",
            ...confidenceOf(finish),
          },
        ],
        usage: usageOf(finish),
      });
    }

    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      response.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: agentModelId, choices, ...extra })}\n\n`,
      );
    chunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]);
    for await (const event of turn) {
      if (event.type === "text-delta")
        chunk([{ index: 0, delta: { content: event.text }, logprobs: null, finish_reason: null }]);
      else if (event.type === "turn-finish") {
        chunk([
          {
            index: 0,
            delta: {},
            logprobs: null,
            finish_reason: event.outcome === "aborted" ? "length" : "stop",
            ...confidenceOf(event),
          },
        ]);
        if (body.stream_options?.include_usage) chunk([], { usage: usageOf(event) });
      } else if (event.type === "error") {
        response.write(
          `data: ${JSON.stringify({ error: { message: event.message, type: errorTypeOf(event.code), code: event.code } })}\n\n`,
        );
      }
    }
    response.end("data: [DONE]\n\n");
  });
  return router;
}

/**
 * The answer's confidence (0–1, from the model's token probabilities; see the README, "Answer
 * confidence"), an extension of the choice like the WebSocket's `agent_response_complete`: absent
 * where the model gives none (Claude, the agent's own words).
 */
function confidenceOf(event: Extract<AgentEvent, { type: "turn-finish" }>): { confidence?: number } {
  return event.confidence === undefined ? {} : { confidence: event.confidence };
}

function usageOf(event: Extract<AgentEvent, { type: "turn-finish" }>) {
  return {
    prompt_tokens: event.usage.inputTokens,
    completion_tokens: event.usage.outputTokens,
    total_tokens: event.usage.inputTokens + event.usage.outputTokens,
  };
}

function sendTurnError(response: Response, failure: Extract<AgentEvent, { type: "error" }> | undefined): void {
  if (!failure) {
    openAIError(response, 500, "The turn ended without an answer.", "server_error");
    return;
  }
  openAIError(response, errorCodes[failure.code].httpStatus, failure.message, errorTypeOf(failure.code), failure.code);
}

/** OpenAI's error `type`, from the HTTP status of the code: the client's fault below 500, the server's from 500. */
function errorTypeOf(code: ErrorCode): "invalid_request_error" | "server_error" {
  return errorCodes[code].httpStatus < 500 ? "invalid_request_error" : "server_error";
}
