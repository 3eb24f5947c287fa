import type { ToolFetch } from "../contracts/network.ts";
import type { Tool } from "../contracts/tool.ts";
import { safeFetch } from "./safe-fetch.ts";

/** The `fetch` a tool gets in its context: safeFetch bound to the hosts it declares and to its call's signal. */
export function toolFetch(tool: Pick<Tool, "networkHosts">, signal: AbortSignal): ToolFetch {
  return (url, { allowPrivate = [], ...options } = {}) =>
    safeFetch(url, { signal, ...options, policy: { allowedHosts: tool.networkHosts ?? [], allowPrivate } });
}
