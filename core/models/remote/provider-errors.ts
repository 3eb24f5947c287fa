import { AgentError, ProviderError } from "../../contracts/errors.ts";

/** HTTP statuses worth retrying: timeouts, conflicts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
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
 * stable code and `retryable`. The message names the provider and status, never the request or a key.
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
  if (signal?.aborted) return new ProviderError("TURN_ABORTED", `${providerId}: cancelled.`);
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  if (error instanceof sdk.timeoutError) {
    return new ProviderError("PROVIDER_TIMEOUT", `${providerId}: the request timed out.`, {
      retryable: true,
      cause: error,
    });
  }
  if (typeof shape.status === "number") {
    const retryAfter = retryAfterMs(shape.headers);
    const reason =
      shape.status === 401 || shape.status === 403
        ? "authentication failed (check the API key)"
        : shape.status === 429
          ? "rate limited"
          : `HTTP ${shape.status}`;
    return new ProviderError(
      shape.status === 408 ? "PROVIDER_TIMEOUT" : "PROVIDER_FAILED",
      `${providerId}: ${reason}.`,
      {
        retryable: isRetryableStatus(shape.status),
        cause: error,
        details: { status: shape.status, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) },
      },
    );
  }
  if (
    error instanceof sdk.connectionError ||
    (error instanceof TypeError && /fetch|network|socket|terminated/i.test(error.message))
  ) {
    // Refused connections and streams cut mid-way both land here: either way another try may work.
    return new ProviderError("PROVIDER_UNAVAILABLE", `${providerId}: the connection failed or was cut.`, {
      retryable: true,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("PROVIDER_FAILED", `${providerId}: ${message}`, { retryable: false, cause: error });
}
