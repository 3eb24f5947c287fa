/**
 * The one table of error codes. A code alone says whose fault the error is, whether the same request
 * may succeed if tried again, the HTTP status the /v1 API answers with, and whether the WebSocket
 * connection closes (and with which status). Error classes read all of it from here; docs/errors.md is
 * rendered from it (`npm run docs:errors`) and a test keeps the two in step.
 */

/** Who caused an error: the client, a model provider, a tool, a plugin, a session store, a guard, or the server. */
export type ErrorFault = "user" | "provider" | "tool" | "plugin" | "store" | "safety" | "internal";

export interface ErrorCodeEntry {
  fault: ErrorFault;
  /** Whether the same operation may succeed if tried again (fallback chains and tool retries follow it). */
  retryable: boolean;
  /** The status the /v1 HTTP API answers with when a turn fails with this code. */
  httpStatus: number;
  /** The status a WebSocket connection is closed with; null when the connection stays open. */
  webSocketCloseCode: number | null;
  meaning: string;
  /** Set when nothing raises the code yet: why it is kept. */
  reserved?: string;
}

export const errorCodes = {
  INPUT_EMPTY: {
    fault: "user",
    retryable: false,
    httpStatus: 400,
    webSocketCloseCode: null,
    meaning: "The message has no text.",
  },
  INPUT_TOO_LONG: {
    fault: "user",
    retryable: false,
    httpStatus: 400,
    webSocketCloseCode: null,
    meaning: "The message is longer than the configured limit.",
  },
  INPUT_MALFORMED: {
    fault: "user",
    retryable: false,
    httpStatus: 400,
    webSocketCloseCode: null,
    meaning: "A frame or request could not be parsed or does not match the protocol.",
  },
  INPUT_TOO_LARGE: {
    fault: "user",
    retryable: false,
    httpStatus: 413,
    webSocketCloseCode: null,
    meaning: "A frame or request body is larger than the configured size limit.",
  },
  INPUT_UNSUPPORTED: {
    fault: "user",
    retryable: false,
    httpStatus: 422,
    webSocketCloseCode: null,
    meaning:
      "The message asks for what the model in use cannot do: images for a model that reads none (the local model); configure Claude or GPT.",
  },
  SESSION_INVALID: {
    fault: "user",
    retryable: false,
    httpStatus: 400,
    webSocketCloseCode: null,
    meaning:
      "The session id is missing or not allowed, or `last_seq` is not a whole number from 0: the WebSocket upgrade is refused with this HTTP status.",
  },
  SESSION_NOT_FOUND: {
    fault: "user",
    retryable: false,
    httpStatus: 404,
    webSocketCloseCode: null,
    meaning: "No session of this name belongs to the caller (never created, deleted, or past its retention).",
  },
  PROFILE_NOT_FOUND: {
    fault: "user",
    retryable: false,
    httpStatus: 404,
    webSocketCloseCode: null,
    meaning: "Nothing has been learned of the caller yet (profiles are off, no turn yet, or the profile was deleted).",
  },
  TURN_NOT_FOUND: {
    fault: "user",
    retryable: false,
    httpStatus: 404,
    webSocketCloseCode: null,
    meaning: "Feedback names a turn the session does not hold (a turn id from another session, or one not stored).",
  },
  SESSION_DELETED: {
    fault: "user",
    retryable: false,
    httpStatus: 410,
    webSocketCloseCode: 4010,
    meaning:
      "The session was deleted on its owner's request while a connection was open on it: the connection closes and its running turn is cancelled.",
  },
  AUTH_REQUIRED: {
    fault: "user",
    retryable: false,
    httpStatus: 401,
    webSocketCloseCode: null,
    meaning:
      "The server has API keys and the request carried none, or an unknown one (WebSocket: refused at the upgrade).",
  },
  AUTH_FORBIDDEN: {
    fault: "user",
    retryable: false,
    httpStatus: 403,
    webSocketCloseCode: null,
    meaning:
      "The key lacks the scope the request needs, or a browser page from an origin that is not allowed opened the WebSocket.",
  },
  RATE_LIMITED: {
    fault: "user",
    retryable: true,
    httpStatus: 429,
    webSocketCloseCode: null,
    meaning:
      "The client sent messages faster than its key's (or address's) rate, or opened more connections than allowed: the message was dropped (or the upgrade refused); wait and try again.",
  },
  CONNECTION_TOO_SLOW: {
    fault: "user",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: 4008,
    meaning:
      "The client read its frames too slowly and the server's send buffer for it filled: the connection closes; reconnect with `?last_seq=N` to get the frames it missed.",
  },
  CONNECTION_IDLE: {
    fault: "user",
    retryable: true,
    httpStatus: 408,
    webSocketCloseCode: 4000,
    meaning: "The connection answered no ping for too long and was closed; reconnect with `?last_seq=N`.",
  },
  CONNECTION_FRAME_TOO_LARGE: {
    fault: "user",
    retryable: false,
    httpStatus: 413,
    webSocketCloseCode: 1009,
    meaning: "A WebSocket frame is over the hard limit (default 1 MiB): the connection closes, with no error frame.",
  },
  TURN_ABORTED: {
    fault: "user",
    retryable: false,
    httpStatus: 499,
    webSocketCloseCode: null,
    meaning: "The turn was cancelled through its AbortSignal.",
  },
  SERVER_INSTANCE_STOPPED: {
    fault: "internal",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: null,
    meaning:
      "The server instance running the turn stopped before it finished (several instances share the session): send the message again.",
  },
  SESSION_BUSY: {
    fault: "user",
    retryable: true,
    httpStatus: 409,
    webSocketCloseCode: null,
    meaning:
      "A message arrived while the session was still answering another, and the server rejects such messages (RTA_WHILE_BUSY=reject): send it again once the answer is complete.",
  },
  PROVIDER_UNAVAILABLE: {
    fault: "provider",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: null,
    meaning: "The model provider could not be reached, its connection was cut, or its circuit is open.",
  },
  PROVIDER_NOT_CONFIGURED: {
    fault: "provider",
    retryable: false,
    httpStatus: 503,
    webSocketCloseCode: null,
    meaning: "The model provider is not set up (no model file, a fallback chain without providers).",
  },
  PROVIDER_TIMEOUT: {
    fault: "provider",
    retryable: true,
    httpStatus: 504,
    webSocketCloseCode: null,
    meaning: "The model provider did not answer in time.",
  },
  PROVIDER_RATE_LIMITED: {
    fault: "provider",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: null,
    meaning: "The model provider is rate limiting (HTTP 429); `details.retryAfterMs` says when to try again.",
  },
  PROVIDER_REJECTED: {
    fault: "provider",
    retryable: false,
    httpStatus: 502,
    webSocketCloseCode: null,
    meaning: "The model provider refused the request (HTTP 4xx: a bad request, an unknown model, a wrong API key).",
  },
  PROVIDER_FAILED: {
    fault: "provider",
    retryable: true,
    httpStatus: 502,
    webSocketCloseCode: null,
    meaning:
      "The model provider failed while answering: a server error (HTTP 409, 5xx), a stream that broke off or ended without its finish, tool-call arguments that are not a JSON object, or an unexpected failure.",
  },
  PROVIDER_CONTEXT_OVERFLOW: {
    fault: "provider",
    retryable: false,
    httpStatus: 400,
    webSocketCloseCode: null,
    meaning: "The conversation does not fit the model's context window, even with older messages dropped.",
  },
  EMBEDDER_UNAVAILABLE: {
    fault: "provider",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: null,
    meaning:
      "The embedder's model files are missing or cannot be loaded (`node scripts/setup-embedder.mjs` fetches them); the tool predictor then routes lexically.",
  },
  EMBEDDER_FAILED: {
    fault: "provider",
    retryable: true,
    httpStatus: 502,
    webSocketCloseCode: null,
    meaning: "The embedder failed while embedding texts.",
  },
  TURN_MAX_ROUNDS: {
    fault: "provider",
    retryable: false,
    httpStatus: 502,
    webSocketCloseCode: null,
    meaning: "The model still asked for tools after the turn used all its tool rounds.",
  },
  SPEECH_UNAVAILABLE: {
    fault: "provider",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: null,
    meaning: "Speech output needs espeak-ng (Debian's espeak-ng package), which is missing or failed.",
  },
  TOOL_NOT_FOUND: {
    fault: "tool",
    retryable: false,
    httpStatus: 500,
    webSocketCloseCode: null,
    meaning: "The model asked for a tool that is not registered.",
  },
  TOOL_INVALID_INPUT: {
    fault: "tool",
    retryable: false,
    httpStatus: 500,
    webSocketCloseCode: null,
    meaning: "The tool's arguments do not match its input schema.",
  },
  TOOL_FAILED: {
    fault: "tool",
    retryable: false,
    httpStatus: 500,
    webSocketCloseCode: null,
    meaning: "The tool failed while running (it threw, a service refused the request, or its answer was unusable).",
  },
  TOOL_UNAVAILABLE: {
    fault: "tool",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: null,
    meaning: "The service a tool calls could not be reached, is rate limiting, or failed on its side (HTTP 429, 5xx).",
  },
  TOOL_NOT_CONFIGURED: {
    fault: "tool",
    retryable: false,
    httpStatus: 503,
    webSocketCloseCode: null,
    meaning:
      "The tool lacks what it needs to reach its service (an API key, a URL), or the service refused its credentials.",
  },
  TOOL_TIMEOUT: {
    fault: "tool",
    retryable: true,
    httpStatus: 504,
    webSocketCloseCode: null,
    meaning: "The tool did not finish within its timeout.",
  },
  TOOL_BUDGET_SPENT: {
    fault: "tool",
    retryable: false,
    httpStatus: 429,
    webSocketCloseCode: null,
    meaning:
      "A turn asked for more consultations between specialists than its budget allows (AgentOptions.maxConsultations).",
  },
  PLUGIN_INVALID: {
    fault: "plugin",
    retryable: false,
    httpStatus: 500,
    webSocketCloseCode: null,
    meaning:
      "A plugin or tool definition is invalid (bad name, bad schema, a module that does not load or exports no plugin).",
  },
  PLUGIN_DUPLICATE: {
    fault: "plugin",
    retryable: false,
    httpStatus: 500,
    webSocketCloseCode: null,
    meaning: "A plugin with the same name is already registered.",
  },
  PLUGIN_DUPLICATE_TOOL: {
    fault: "plugin",
    retryable: false,
    httpStatus: 500,
    webSocketCloseCode: null,
    meaning: "Two registered tools have the same name.",
  },
  PLUGIN_CONFIG_INVALID: {
    fault: "plugin",
    retryable: false,
    httpStatus: 500,
    webSocketCloseCode: null,
    meaning: "A plugin's configuration is missing a value or a secret, or has a wrong one.",
  },
  PLUGIN_UNAVAILABLE: {
    fault: "plugin",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: null,
    meaning: "A plugin could not reach a service it needs to start (for example an MCP server).",
  },
  STORE_UNAVAILABLE: {
    fault: "store",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: 1013,
    meaning:
      "The session store could not be reached: a turn ends with this error frame (the connection stays open), and a WebSocket whose session the shared bus's Redis could not open within 5 s is closed with 1013 (reconnect).",
  },
  STORE_REJECTED: {
    fault: "store",
    retryable: false,
    httpStatus: 500,
    webSocketCloseCode: null,
    meaning: "The session database refused a write: a value it cannot store (trying again cannot help).",
  },
  SAFETY_BLOCKED: {
    fault: "safety",
    retryable: false,
    httpStatus: 400,
    webSocketCloseCode: null,
    meaning: "A guard blocked the text.",
    reserved: "only the length guard (INPUT_EMPTY, INPUT_TOO_LONG) ships; content guards will raise it",
  },
  INTERNAL: {
    fault: "internal",
    retryable: false,
    httpStatus: 500,
    webSocketCloseCode: null,
    meaning: "An unexpected internal error.",
  },
  SERVER_BUSY: {
    fault: "internal",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: null,
    meaning: "The server holds as many sessions as it is configured for: a new one is refused until others end.",
  },
  SERVER_SHUTTING_DOWN: {
    fault: "internal",
    retryable: true,
    httpStatus: 503,
    webSocketCloseCode: 1001,
    meaning: "The server is shutting down: open connections close; reconnect and resume with `?last_seq=N`.",
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof errorCodes;

/** The codes whose fault is `Fault`: `ProviderError` takes only `CodeOfFault<"provider">`, and so on. */
export type CodeOfFault<Fault extends ErrorFault> = {
  [Code in ErrorCode]: (typeof errorCodes)[Code]["fault"] extends Fault ? Code : never;
}[ErrorCode];
