import { z } from "zod";
import { ToolError, type ToolFetch } from "realtime-agent";

/** Settings every networked built-in tool shares. */
export const networkConfigSchema = z.object({
  /** Hosts that may resolve to private or loopback addresses (self-hosted services, tests). */
  allowPrivate: z.array(z.string()).default([]),
  timeoutMs: z.number().int().positive().default(8_000),
});

export function hostOf(url: string): string {
  return new URL(url).hostname;
}

/** GETs JSON through the tool's own fetch (its declared hosts), checks the status and parses the body with a schema. */
export async function getJson<T>(
  url: URL,
  options: {
    fetch: ToolFetch;
    allowPrivate: readonly string[];
    schema: z.ZodType<T>;
    headers?: Record<string, string>;
    service: string;
    timeoutMs?: number;
  },
): Promise<T> {
  const response = await options.fetch(url.toString(), {
    allowPrivate: options.allowPrivate,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (response.status === 401 || response.status === 403)
    throw new ToolError(
      "TOOL_NOT_CONFIGURED",
      `${options.service} refused the request (HTTP ${response.status}): check its API key.`,
    );
  if (response.status === 429)
    throw new ToolError("TOOL_UNAVAILABLE", `${options.service} is rate limiting (HTTP 429); try again later.`);
  if (response.status >= 400)
    throw new ToolError(
      response.status >= 500 ? "TOOL_UNAVAILABLE" : "TOOL_FAILED",
      `${options.service} answered HTTP ${response.status}.`,
    );
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new ToolError("TOOL_FAILED", `${options.service} did not answer with JSON.`);
  }
  const parsed = options.schema.safeParse(body);
  if (!parsed.success)
    throw new ToolError(
      "TOOL_FAILED",
      `${options.service} answered in an unexpected shape (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}).`,
    );
  return parsed.data;
}
