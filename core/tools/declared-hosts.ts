import { AsyncLocalStorage } from "node:async_hooks";
import { ToolError } from "../contracts/errors.ts";
import type { Tool } from "../contracts/tool.ts";
import { hostAllowed } from "./network-policy.ts";

const runningTool = new AsyncLocalStorage<{ name: string; hosts: readonly string[] }>();

/**
 * Runs a tool's code (its `execute` or `executeBatch`) so that every `safeFetch` inside it, however
 * deep, may reach only the hosts the tool declares in `networkHosts`; none when it declares none.
 * The executor wraps every call in this, so a tool's declaration is a limit, not a description.
 */
export function runWithDeclaredHosts<T>(tool: Pick<Tool, "name" | "networkHosts">, work: () => T): T {
  return runningTool.run({ name: tool.name, hosts: tool.networkHosts ?? [] }, work);
}

/** Refuses a host that the running tool did not declare; outside a tool's code it allows everything. */
export function checkDeclaredHost(hostname: string): void {
  const tool = runningTool.getStore();
  if (!tool || hostAllowed(hostname, tool.hosts)) return;
  throw new ToolError(
    "TOOL_FAILED",
    `${tool.name} may not contact ${hostname}: it is not among the hosts the tool declares (networkHosts).`,
  );
}
