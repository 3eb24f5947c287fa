import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { ToolError } from "../contracts/errors.ts";
import type { NetworkPolicy, SafeFetchOptions, SafeResponse } from "../contracts/network.ts";
import { hostAllowed, isPrivateAddress } from "./network-policy.ts";

/**
 * HTTP for tools, safe by default: only declared hosts, only http(s), and no private, loopback or
 * link-local address — checked on the address actually connected to (after DNS, so rebinding does not
 * help) and again for every redirect. Hosts in `allowPrivate` are exempt from the address check.
 * Tools reach it through `context.fetch`, which fills in the policy from the tool's `networkHosts`.
 */
export async function safeFetch(url: string, options: SafeFetchOptions): Promise<SafeResponse> {
  let current = new URL(url);
  for (let redirects = 0; ; redirects++) {
    checkUrl(current, options.policy);
    const response = await requestOnce(current, options);
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location && (options.method ?? "GET") === "GET") {
      if (redirects >= (options.maxRedirects ?? 5))
        throw new ToolError("TOOL_FAILED", `Too many redirects from ${url}.`);
      current = new URL(location, current);
      continue;
    }
    return response;
  }
}

function checkUrl(url: URL, policy: NetworkPolicy): void {
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new ToolError("TOOL_FAILED", `Only http and https URLs are allowed, not ${url.protocol}`);
  if (!hostAllowed(url.hostname, policy.allowedHosts)) {
    throw new ToolError("TOOL_FAILED", `The tool may not contact ${url.hostname}: it is not among its declared hosts.`);
  }
}

function guardedLookup(host: string, policy: NetworkPolicy): LookupFunction {
  const exempt = hostAllowed(host, policy.allowPrivate);
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      const list = addresses as LookupAddress[];
      const refused = list.find((entry) => isPrivateAddress(entry.address));
      if (refused && !exempt) {
        return callback(
          Object.assign(
            new Error(`${hostname} resolves to ${refused.address}, a private or loopback address; refused.`),
            { code: "EPRIVATEADDRESS" },
          ),
          "",
          4,
        );
      }
      const first = list[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address.`), { code: "ENOTFOUND" }), "", 4);
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, list);
      callback(null, first.address, first.family);
    });
  };
}

function requestOnce(url: URL, options: SafeFetchOptions): Promise<SafeResponse> {
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const literal = url.hostname.replace(/^\[|\]$/g, "");
    // An IP literal is checked here; a name ("cafe.de", all hex letters) when it resolves.
    if (isIP(literal) !== 0 && isPrivateAddress(literal) && !hostAllowed(literal, options.policy.allowPrivate)) {
      return reject(new ToolError("TOOL_FAILED", `${literal} is a private or loopback address; refused.`));
    }
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: options.method ?? "GET",
        headers: { "user-agent": "realtime-agent", accept: "application/json", ...options.headers },
        lookup: guardedLookup(url.hostname, options.policy),
        ...(options.signal ? { signal: options.signal } : {}),
        timeout: options.timeoutMs ?? 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            request.destroy();
            reject(new ToolError("TOOL_FAILED", `The response from ${url.hostname} is larger than ${maxBytes} bytes.`));
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            url: url.toString(),
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("timeout", () =>
      request.destroy(new ToolError("TOOL_TIMEOUT", `${url.hostname} did not answer in time.`)),
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (error instanceof ToolError) return reject(error);
      if (error.code === "EPRIVATEADDRESS") return reject(new ToolError("TOOL_FAILED", error.message));
      if (options.signal?.aborted) return reject(error);
      reject(
        new ToolError(
          "TOOL_UNAVAILABLE",
          `Network unreachable: could not reach ${url.hostname} (${error.code ?? error.message}).`,
          { details: { network: true } },
        ),
      );
    });
    if (options.body) request.write(options.body);
    request.end();
  });
}
