import type { IncomingHttpHeaders } from "node:http";

/** Where HTTP may go: the hosts allowed, and which of them may resolve to private addresses. */
export interface NetworkPolicy {
  /** Hosts the tool declared (exact names, or "*.example.com" for subdomains). */
  allowedHosts: readonly string[];
  /** Hosts or IPs that may resolve to private addresses (e.g. a self-hosted SearXNG, or tests on 127.0.0.1). */
  allowPrivate: readonly string[];
}

export interface SafeFetchOptions {
  policy: NetworkPolicy;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: string;
  maxRedirects?: number;
  /** Largest response body accepted (default 2 MiB). */
  maxBytes?: number;
  timeoutMs?: number;
}

export interface SafeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  url: string;
  text: string;
}

/**
 * What a tool passes to `context.fetch`: the hosts come from the tool's own `networkHosts` and the
 * signal from its call (unless given); `allowPrivate` exempts hosts from the private-address check and
 * should come from the user's configuration, never from the model.
 */
export type ToolFetchOptions = Omit<SafeFetchOptions, "policy"> & { allowPrivate?: readonly string[] };

export type ToolFetch = (url: string, options?: ToolFetchOptions) => Promise<SafeResponse>;
