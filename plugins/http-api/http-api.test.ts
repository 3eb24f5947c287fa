import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginError, silentLogger, executeToolCall, ToolRegistry } from "realtime-agent";
import { runPluginContract } from "realtime-agent/testing/contracts";
import { httpApiPlugin } from "./index.ts";

const received: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      if (request.headers["x-api-key"] !== "secret") return response.writeHead(401).end('{"message":"unauthorized"}');
      if (request.url?.startsWith("/v1/pets/on-hold")) return; // accepted, never answered
      if (request.method === "GET" && request.url?.startsWith("/v1/pets/busy"))
        return response.writeHead(503).end('{"message":"try later"}');
      if (request.method === "GET" && request.url?.startsWith("/v1/pets/42"))
        return response
          .writeHead(200, { "content-type": "application/json" })
          .end('{"id":42,"name":"Rex","tag":"dog"}');
      if (request.method === "GET" && request.url?.startsWith("/v1/pets/"))
        return response.writeHead(404).end('{"message":"no such pet"}');
      if (request.method === "GET" && request.url?.startsWith("/v1/pets"))
        return response.writeHead(200).end('[{"id":1,"name":"Tom"}]');
      if (request.method === "POST" && request.url === "/v1/pets")
        return response.writeHead(201).end(JSON.stringify({ id: 7, ...JSON.parse(body) }));
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const petstore = () => ({
  openapi: "3.0.3",
  info: { title: "Petstore", version: "1.0.0" },
  servers: [{ url: base }],
  components: {
    schemas: {
      NewPet: { type: "object", properties: { name: { type: "string" }, tag: { type: "string" } }, required: ["name"] },
    },
    parameters: {
      Limit: {
        name: "limit",
        in: "query",
        description: "How many pets",
        schema: { type: "integer", minimum: 1, maximum: 100 },
      },
    },
  },
  paths: {
    "/pets": {
      get: {
        operationId: "listPets",
        summary: "List all pets",
        parameters: [{ $ref: "#/components/parameters/Limit" }],
      },
      post: {
        operationId: "createPet",
        summary: "Create a pet",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/NewPet" } } },
        },
      },
    },
    "/pets/{petId}": {
      get: {
        operationId: "showPetById",
        summary: "Info for a specific pet",
        parameters: [
          { name: "petId", in: "path", required: true, description: "The id of the pet", schema: { type: "string" } },
        ],
      },
    },
  },
});

const registryOf = () =>
  new ToolRegistry().register(httpApiPlugin, {
    spec: petstore(),
    headers: { "x-api-key": "secret" },
    allowPrivate: ["127.0.0.1"],
  });
const call = (registry: ToolRegistry, name: string, argumentsOfCall: Record<string, unknown>) =>
  executeToolCall(
    { callId: "c", name, arguments: argumentsOfCall },
    { registry, sessionId: "s", signal: new AbortController().signal, logger: silentLogger },
  );

describe("http_api: OpenAPI 3 operations as tools", () => {
  it("makes one tool per operation, with parameters and body as its input schema", () => {
    const registry = registryOf();
    expect(registry.list().map((entry) => entry.tool.name)).toEqual(["listPets", "createPet", "showPetById"]);
    expect(registry.get("showPetById")!.definition).toMatchObject({
      description: "Info for a specific pet (Petstore)",
      inputSchema: {
        type: "object",
        properties: { petId: { type: "string", description: "The id of the pet" } },
        required: ["petId"],
      },
    });
    expect(registry.get("createPet")!.definition.inputSchema).toMatchObject({
      required: ["body"],
      properties: { body: { type: "object", required: ["name"] } },
    });
    expect(registry.get("listPets")!.tool.idempotent).toBe(true);
  });

  it("calls the operation: path and query parameters, JSON body, configured headers", async () => {
    const registry = registryOf();
    expect(await call(registry, "showPetById", { petId: "42" })).toMatchObject({
      ok: true,
      result: { status: 200, body: { id: 42, name: "Rex" } },
    });
    expect(await call(registry, "listPets", { limit: 5 })).toMatchObject({
      ok: true,
      result: { body: [{ name: "Tom" }] },
    });
    expect(received.at(-1)).toMatchObject({ method: "GET", url: "/v1/pets?limit=5" });
    expect(await call(registry, "createPet", { body: { name: "Kitty", tag: "cat" } })).toMatchObject({
      ok: true,
      result: { status: 201, body: { id: 7, name: "Kitty" } },
    });
    expect(received.at(-1)).toMatchObject({ method: "POST", url: "/v1/pets", body: '{"name":"Kitty","tag":"cat"}' });
    expect(received.at(-1)!.headers["x-api-key"]).toBe("secret");
  });

  it("refuses path parameters that would climb out of the templated path, and encodes the rest", async () => {
    const registry = registryOf();
    const before = received.length;
    for (const petId of ["..", "."])
      expect(await call(registry, "showPetById", { petId })).toMatchObject({
        ok: false,
        error: { code: "TOOL_INVALID_INPUT", message: expect.stringContaining("may not be") },
      });
    expect(received.length).toBe(before);
    await call(registry, "showPetById", { petId: "../../admin?x=$&" });
    expect(received.at(-1)!.url).toBe("/v1/pets/..%2F..%2Fadmin%3Fx%3D%24%26");
  });

  it("validates arguments against the operation's schema and reports API errors", async () => {
    const registry = registryOf();
    expect(await call(registry, "listPets", { limit: 500 })).toMatchObject({
      ok: false,
      error: { code: "TOOL_INVALID_INPUT" },
    });
    expect(await call(registry, "createPet", { body: { tag: "no name" } })).toMatchObject({
      ok: false,
      error: { code: "TOOL_INVALID_INPUT" },
    });
    const missing = await call(registry, "showPetById", { petId: "9" });
    expect(missing).toMatchObject({ ok: false, error: { code: "TOOL_FAILED", retryable: false } });
    expect(missing.ok ? "" : missing.error.message).toMatch(/HTTP 404: \{"message":"no such pet"\}/);
    expect(await call(registry, "showPetById", { petId: "busy" })).toMatchObject({
      ok: false,
      error: { code: "TOOL_UNAVAILABLE", retryable: true },
    });
  });

  it("refuses a document that is not OpenAPI 3, and a config with no document", () => {
    expect(() => new ToolRegistry().register(httpApiPlugin, { spec: { swagger: "2.0" } })).toThrow(PluginError);
    expect(() => new ToolRegistry().register(httpApiPlugin, {})).toThrow(/spec \(an OpenAPI 3 document\) or specFile/);
  });

  it("refuses a document with no server URL when no baseUrl is configured", () => {
    expect(() =>
      new ToolRegistry().register(httpApiPlugin, { spec: { ...petstore(), servers: [] }, allowPrivate: ["127.0.0.1"] }),
    ).toThrow(expect.objectContaining({ code: "PLUGIN_CONFIG_INVALID", message: expect.stringMatching(/baseUrl/) }));
  });
});

runPluginContract(httpApiPlugin, {
  config: () => ({
    spec: petstore(),
    headers: { "x-api-key": "secret" },
    allowPrivate: ["127.0.0.1"],
    timeoutMs: 60_000,
  }),
  calls: [
    {
      tool: "showPetById",
      arguments: { petId: "42" },
      check: (result) => expect(result).toMatchObject({ status: 200, body: { name: "Rex" } }),
    },
    {
      tool: "createPet",
      arguments: { body: { name: "Kitty" } },
      check: (result) => expect(result).toMatchObject({ status: 201, body: { id: 7 } }),
    },
  ],
  cancellableCall: { tool: "showPetById", arguments: { petId: "on-hold" } },
});
