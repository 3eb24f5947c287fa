import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPrivateAddress } from "./network-policy.ts";
import { safeFetch } from "./safe-fetch.ts";

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/redirect-private")
      return response.writeHead(302, { location: `http://localhost:${port}/ok` }).end();
    if (request.url === "/redirect-elsewhere")
      return response.writeHead(302, { location: "http://example.invalid/" }).end();
    if (request.url === "/redirect-same") return response.writeHead(302, { location: "/ok" }).end();
    if (request.url === "/big") return response.end("x".repeat(5000));
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const allowLoopback = { allowedHosts: ["127.0.0.1", "localhost"], allowPrivate: ["127.0.0.1"] };

describe("safeFetch", () => {
  it("fetches from a declared, allowlisted host and follows a same-host redirect", async () => {
    const response = await safeFetch(`http://127.0.0.1:${port}/redirect-same`, { policy: allowLoopback });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ ok: true });
  });

  it("refuses hosts the tool did not declare", async () => {
    await expect(
      safeFetch(`http://127.0.0.1:${port}/ok`, { policy: { allowedHosts: ["api.example.com"], allowPrivate: [] } }),
    ).rejects.toThrow(/not among its declared hosts/);
  });

  it("refuses loopback addresses unless allowlisted, by IP and after DNS", async () => {
    await expect(
      safeFetch(`http://127.0.0.1:${port}/ok`, { policy: { allowedHosts: ["127.0.0.1"], allowPrivate: [] } }),
    ).rejects.toThrow(/private or loopback/);
    await expect(
      safeFetch(`http://localhost:${port}/ok`, { policy: { allowedHosts: ["localhost"], allowPrivate: [] } }),
    ).rejects.toThrow(/resolves to .*refused/);
  });

  it("checks every redirect: a private target or an undeclared host is refused", async () => {
    await expect(safeFetch(`http://127.0.0.1:${port}/redirect-private`, { policy: allowLoopback })).rejects.toThrow(
      /resolves to .*refused/,
    );
    await expect(safeFetch(`http://127.0.0.1:${port}/redirect-elsewhere`, { policy: allowLoopback })).rejects.toThrow(
      /example.invalid.*declared hosts/,
    );
  });

  it("refuses other schemes and oversized bodies", async () => {
    await expect(safeFetch("file:///etc/passwd", { policy: allowLoopback })).rejects.toThrow(/Only http and https/);
    await expect(safeFetch(`http://127.0.0.1:${port}/big`, { policy: allowLoopback, maxBytes: 1000 })).rejects.toThrow(
      /larger than 1000 bytes/,
    );
  });

  it("reports a refused connection as a retryable TOOL_UNAVAILABLE", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(safeFetch(`http://127.0.0.1:${closedPort}/`, { policy: allowLoopback })).rejects.toMatchObject({
      code: "TOOL_UNAVAILABLE",
      retryable: true,
      details: { network: true },
    });
  });

  it("classifies addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:10.0.0.1",
      "0.0.0.0",
      // An IPv4 address inside an IPv6 one, in every notation: mapped, compatible, 6to4.
      "::ffff:7f00:1",
      "::7f00:1",
      "::127.0.0.1",
      "2002:a9fe:a9fe::1",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"])
      expect(isPrivateAddress(address), address).toBe(false);
  });

  it("refuses private IPv6 literals at once, and leaves all-hex host names to their DNS answer", async () => {
    await expect(
      safeFetch("http://[::ffff:7f00:1]/", { policy: { allowedHosts: ["::ffff:7f00:1"], allowPrivate: [] } }),
    ).rejects.toThrow(/private or loopback address; refused/);
    // "cafe.de" is a name made of hex letters, not an address: it is resolved (and fails here offline
    // or is checked then), never refused as if it were a private IP.
    const named = await safeFetch("http://cafe.de/", {
      policy: { allowedHosts: ["cafe.de"], allowPrivate: [] },
      timeoutMs: 2_000,
    }).catch((error: Error) => error);
    expect(named instanceof Error ? named.message : "").not.toMatch(/cafe\.de is a private/);
  });
});
