import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback HTTP server that answers as the Anthropic Messages API and the OpenAI Chat Completions
 * API do, from scripted replies in their documented wire formats (SSE streams, JSON errors). Remote
 * APIs are unreachable from tests; this lets the real SDK-based providers run end to end.
 */
export type LoopbackReply =
  /** An SSE body sent in order; `pauseMs` waits between events; `cutAfter` drops the connection after N events. */
  | { kind: "sse"; events: string[]; pauseMs?: number; cutAfter?: number }
  /** A plain HTTP reply (errors, non-streaming bodies). */
  | { kind: "http"; status: number; headers?: Record<string, string>; body: unknown }
  /** Accepts the request and never answers. */
  | { kind: "hang" };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

export class LoopbackApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly #replies: LoopbackReply[] = [];
  readonly #server: Server;
  readonly #open = new Set<ServerResponse>();
  #url = "";

  constructor() {
    this.#server = createServer((request, response) => void this.#handle(request, response));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.#url;
  }

  get url(): string {
    return this.#url;
  }

  reply(...replies: LoopbackReply[]): this {
    this.#replies.push(...replies);
    return this;
  }

  get pendingReplies(): number {
    return this.#replies.length;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw = "";
    for await (const chunk of request) raw += chunk;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw || "{}");
    } catch {
      /* recorded as empty */
    }
    this.requests.push({ path: request.url ?? "", headers: request.headers, body });
    const reply = this.#replies.shift();
    if (!reply) {
      response
        .writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "no scripted reply" } }));
      return;
    }
    if (reply.kind === "hang") {
      this.#open.add(response);
      return;
    }
    if (reply.kind === "http") {
      response
        .writeHead(reply.status, { "content-type": "application/json", ...reply.headers })
        .end(JSON.stringify(reply.body));
      return;
    }
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    this.#open.add(response);
    for (const [index, event] of reply.events.entries()) {
      if (reply.cutAfter !== undefined && index >= reply.cutAfter) {
        response.socket?.destroy();
        this.#open.delete(response);
        return;
      }
      if (reply.pauseMs) await new Promise((resolve) => setTimeout(resolve, reply.pauseMs));
      if (response.destroyed) return;
      response.write(event);
    }
    this.#open.delete(response);
    response.end();
  }

  async close(): Promise<void> {
    for (const response of this.#open) response.socket?.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

const sse = (event: string | undefined, data: unknown) =>
  `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;

/** Anthropic Messages API stream events, as documented for `stream: true`. */
export const anthropicStream = {
  text(
    chunks: string[],
    options: { inputTokens?: number; outputTokens?: number; model?: string; stopReason?: string } = {},
  ): string[] {
    return [
      sse("message_start", {
        type: "message_start",
        message: {
          id: "msg_01",
          type: "message",
          role: "assistant",
          content: [],
          model: options.model ?? "claude-test",
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: options.inputTokens ?? 12, output_tokens: 1 },
        },
      }),
      sse("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
      sse("ping", { type: "ping" }),
      ...chunks.map((text) =>
        sse("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }),
      ),
      sse("content_block_stop", { type: "content_block_stop", index: 0 }),
      sse("message_delta", {
        type: "message_delta",
        delta: { stop_reason: options.stopReason ?? "end_turn", stop_sequence: null },
        usage: { output_tokens: options.outputTokens ?? chunks.length },
      }),
      sse("message_stop", { type: "message_stop" }),
    ];
  },
  toolUse(
    calls: { id: string; name: string; jsonParts: string[] }[],
    options: { inputTokens?: number; outputTokens?: number; leadingText?: string } = {},
  ): string[] {
    const blocks: string[] = [];
    let index = 0;
    if (options.leadingText) {
      blocks.push(
        sse("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } }),
        sse("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "text_delta", text: options.leadingText },
        }),
        sse("content_block_stop", { type: "content_block_stop", index }),
      );
      index++;
    }
    for (const call of calls) {
      blocks.push(
        sse("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "tool_use", id: call.id, name: call.name, input: {} },
        }),
        ...call.jsonParts.map((partial_json) =>
          sse("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json },
          }),
        ),
        sse("content_block_stop", { type: "content_block_stop", index }),
      );
      index++;
    }
    return [
      sse("message_start", {
        type: "message_start",
        message: {
          id: "msg_02",
          type: "message",
          role: "assistant",
          content: [],
          model: "claude-test",
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: options.inputTokens ?? 30, output_tokens: 1 },
        },
      }),
      ...blocks,
      sse("message_delta", {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { output_tokens: options.outputTokens ?? 20 },
      }),
      sse("message_stop", { type: "message_stop" }),
    ];
  },
  error(type: string, message: string): string {
    return sse("error", { type: "error", error: { type, message } });
  },
  httpError(status: number, type: string, message: string, headers: Record<string, string> = {}): LoopbackReply {
    return {
      kind: "http",
      status,
      headers: { "request-id": "req_test", ...headers },
      body: { type: "error", error: { type, message } },
    };
  },
};

/** OpenAI Chat Completions stream chunks, as documented for `stream: true` with `include_usage`. */
export const openaiStream = {
  text(
    chunks: string[],
    options: {
      promptTokens?: number;
      completionTokens?: number;
      model?: string;
      finishReason?: string;
      /** Each chunk's token log-probability (`logprobs.content`, as with `logprobs: true`). */
      logprobs?: number[];
    } = {},
  ): string[] {
    const base = {
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1_760_000_000,
      model: options.model ?? "gpt-test",
    };
    return [
      sse(undefined, {
        ...base,
        choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
      }),
      ...chunks.map((content, index) => {
        const logprob = options.logprobs?.[index];
        const logprobs =
          logprob === undefined
            ? {}
            : {
                logprobs: {
                  content: [{ token: content, logprob, bytes: [...Buffer.from(content)], top_logprobs: [] }],
                  refusal: null,
                },
              };
        return sse(undefined, {
          ...base,
          choices: [{ index: 0, delta: { content }, ...logprobs, finish_reason: null }],
        });
      }),
      sse(undefined, { ...base, choices: [{ index: 0, delta: {}, finish_reason: options.finishReason ?? "stop" }] }),
      sse(undefined, {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: options.promptTokens ?? 12,
          completion_tokens: options.completionTokens ?? chunks.length,
          total_tokens: (options.promptTokens ?? 12) + (options.completionTokens ?? chunks.length),
        },
      }),
      sse(undefined, "[DONE]"),
    ];
  },
  toolCalls(
    calls: { id: string; name: string; argumentParts: string[] }[],
    options: { promptTokens?: number; completionTokens?: number } = {},
  ): string[] {
    const base = { id: "chatcmpl-2", object: "chat.completion.chunk", created: 1_760_000_000, model: "gpt-test" };
    const chunks = calls.flatMap((call, index) => [
      sse(undefined, {
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
            },
            finish_reason: null,
          },
        ],
      }),
      ...call.argumentParts.map((part) =>
        sse(undefined, {
          ...base,
          choices: [
            { index: 0, delta: { tool_calls: [{ index, function: { arguments: part } }] }, finish_reason: null },
          ],
        }),
      ),
    ]);
    return [
      sse(undefined, {
        ...base,
        choices: [{ index: 0, delta: { role: "assistant", content: null }, finish_reason: null }],
      }),
      ...chunks,
      sse(undefined, { ...base, choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] }),
      sse(undefined, {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: options.promptTokens ?? 40,
          completion_tokens: options.completionTokens ?? 18,
          total_tokens: (options.promptTokens ?? 40) + (options.completionTokens ?? 18),
        },
      }),
      sse(undefined, "[DONE]"),
    ];
  },
  httpError(status: number, type: string, message: string, headers: Record<string, string> = {}): LoopbackReply {
    return { kind: "http", status, headers, body: { error: { message, type, param: null, code: type } } };
  },
};
