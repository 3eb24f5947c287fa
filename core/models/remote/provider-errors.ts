import { AgentError, type CodeOfFault, ProviderError, UserInputError } from "../../contracts/errors.ts";

/**
 * The code for an HTTP status from a provider's API: timeouts (408), rate limits (429) and server
 * errors (409, 5xx) are worth retrying; any other status means the request itself was refused.
 */
export function codeOfStatus(status: number): CodeOfFault<"provider"> {
  if (status === 408) return "PROVIDER_TIMEOUT";
  if (status === 429) return "PROVIDER_RATE_LIMITED";
  if (status === 409 || status >= 500) return "PROVIDER_FAILED";
  return "PROVIDER_REJECTED";
}

/** Milliseconds to wait from a `retry-after` (seconds or HTTP date) or `retry-after-ms` header. */
export function retryAfterMs(
  headers: { get(name: string): string | null } | undefined,
  now = Date.now(),
): number | undefined {
  const milliseconds = headers?.get("retry-after-ms");
  if (milliseconds && Number.isFinite(Number(milliseconds))) return Math.max(0, Number(milliseconds));
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface SdkErrorShape {
  status?: number;
  headers?: { get(name: string): string | null };
  message?: string;
}

/**
 * Maps an error from the Anthropic or OpenAI SDK (both share this shape) to a ProviderError with a
 * stable code (which says whether it is retryable). The message names the provider and status, never
 * the request or a key.
 */
export function toProviderError(
  providerId: string,
  error: unknown,
  signal: AbortSignal | undefined,
  sdk: {
    connectionError: abstract new (...args: never[]) => unknown;
    timeoutError: abstract new (...args: never[]) => unknown;
  },
): AgentError {
  if (AgentError.isInstance(error)) return error;
  if (signal?.aborted) return new UserInputError("TURN_ABORTED", `${providerId}: cancelled.`);
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  if (error instanceof sdk.timeoutError) {
    return new ProviderError("PROVIDER_TIMEOUT", `${providerId}: the request timed out.`, { cause: error });
  }
  if (typeof shape.status === "number") {
    const retryAfter = retryAfterMs(shape.headers);
    const reason =
      shape.status === 401 || shape.status === 403
        ? "authentication failed (check the API key)"
        : shape.status === 429
          ? "rate limited"
          : `HTTP ${shape.status}`;
    return new ProviderError(codeOfStatus(shape.status), `${providerId}: ${reason}.`, {
      cause: error,
      details: { status: shape.status, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) },
    });
  }
  if (
    error instanceof sdk.connectionError ||
    (error instanceof TypeError && /fetch|network|socket|terminated/i.test(error.message))
  ) {
    // Refused connections and streams cut mid-way both land here: either way another try may work.
    return new ProviderError("PROVIDER_UNAVAILABLE", `${providerId}: the connection failed or was cut.`, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("PROVIDER_FAILED", `${providerId}: ${message}`, { cause: error });
}
