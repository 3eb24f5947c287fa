import { mkdtempSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ApiKeys, hashApiKey, newApiKey } from "./api-keys.ts";
import { SignJWT } from "jose";
import { JwtVerifier } from "./jwt.ts";
import { Authenticator, authenticateRequest, originAllowed, requestKey } from "./request-auth.ts";

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe("ApiKeys", () => {
  it("reads hashed keys from RTA_API_KEYS_FILE and one plain RTA_API_KEY, holding hashes only", () => {
    const directory = mkdtempSync(join(tmpdir(), "rta-keys-"));
    const alice = newApiKey("alice", ["chat", "metrics"]);
    writeFileSync(join(directory, "keys.json"), JSON.stringify({ keys: [alice.entry] }));
    const keys = ApiKeys.fromEnv({ RTA_API_KEYS_FILE: join(directory, "keys.json"), RTA_API_KEY: "plain-key" });
    expect(alice.key).toMatch(/^rta_[A-Za-z0-9_-]{43}$/);
    expect(alice.entry.sha256).toBe(hashApiKey(alice.key));
    expect(keys.authenticate(alice.key)).toEqual({ owner: "alice", scopes: new Set(["chat", "metrics"]) });
    expect(keys.authenticate("plain-key")?.owner).toBe("default");
    expect(keys.authenticate(alice.entry.sha256)).toBeUndefined();
    expect(keys.authenticate(undefined)).toBeUndefined();
    expect(new ApiKeys().enabled).toBe(false);
  });

  it("says what is wrong with a keys file", () => {
    const directory = mkdtempSync(join(tmpdir(), "rta-keys-"));
    const file = join(directory, "keys.json");
    writeFileSync(file, JSON.stringify({ keys: [{ id: "a b", sha256: "short" }] }));
    expect(() => ApiKeys.fromEnv({ RTA_API_KEYS_FILE: file })).toThrow(/keys\.0\.id: ids are.*keys\.0\.sha256/);
    writeFileSync(file, "{");
    expect(() => ApiKeys.fromEnv({ RTA_API_KEYS_FILE: file })).toThrow(/could not be read as JSON/);
  });
});

describe("request authentication", () => {
  const keys = new ApiKeys([newApiKey("x").entry]);
  const bob = newApiKey("bob", ["chat"]);
  const withBob = new ApiKeys([bob.entry]);

  it("finds the key in the Authorization header or a rta.key.<key> subprotocol", () => {
    expect(requestKey(request({ authorization: "Bearer abc" }))).toBe("abc");
    expect(requestKey(request({ "sec-websocket-protocol": "rta.v1, rta.key.abc" }))).toBe("abc");
    expect(requestKey(request({}))).toBeUndefined();
  });

  it("is the local owner when nothing is configured, else the key's owner with its scopes", async () => {
    expect(await authenticateRequest(request({}), new Authenticator(), "admin")).toMatchObject({
      ok: true,
      principal: { owner: "local" },
    });
    expect(await authenticateRequest(request({}), new Authenticator(keys), "chat")).toMatchObject({
      ok: false,
      status: 401,
    });
    const asBob = request({ authorization: `Bearer ${bob.key}` });
    const auth = new Authenticator(withBob);
    expect(await authenticateRequest(asBob, auth, "chat")).toMatchObject({ ok: true, principal: { owner: "bob" } });
    expect(await authenticateRequest(asBob, auth, "metrics")).toMatchObject({ ok: false, status: 403 });
  });

  it("accepts a JWT signed with the configured secret: owner jwt:<sub>, scopes from its claim", async () => {
    const secret = "a shared secret of at least thirty-two bytes!";
    const auth = new Authenticator(keys, new JwtVerifier({ secret, issuer: "https://id.example" }));
    const sign = (claims: Record<string, unknown>, key = secret, expires = "5m") =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256" })
        .setIssuer("https://id.example")
        .setIssuedAt()
        .setExpirationTime(expires)
        .sign(new TextEncoder().encode(key));
    const bearer = async (token: Promise<string>) => request({ authorization: `Bearer ${await token}` });
    expect(
      await authenticateRequest(await bearer(sign({ sub: "ana", scope: "chat metrics" })), auth, "metrics"),
    ).toMatchObject({ ok: true, principal: { owner: "jwt:ana", scopes: new Set(["chat", "metrics"]) } });
    expect(await authenticateRequest(await bearer(sign({ sub: "ana" })), auth, "metrics")).toMatchObject({
      ok: false,
      status: 403,
    });
    for (const refused of [
      sign({ sub: "ana" }, "another secret of at least thirty-two bytes"),
      sign({ sub: "ana" }, secret, "-1m"),
      sign({ scope: "chat" }),
    ])
      expect(await authenticateRequest(await bearer(refused), auth, "chat")).toMatchObject({ ok: false, status: 401 });
  });

  it("allows a browser origin only when it is the server's own or listed", () => {
    const from = (origin: string | undefined) => request({ host: "127.0.0.1:3000", ...(origin ? { origin } : {}) });
    expect(originAllowed(from(undefined), [])).toBe(true);
    expect(originAllowed(from("http://127.0.0.1:3000"), [])).toBe(true);
    expect(originAllowed(from("http://127.0.0.1:3001"), [])).toBe(false);
    expect(originAllowed(from("https://evil.example"), [])).toBe(false);
    expect(originAllowed(from("https://app.example"), ["https://app.example"])).toBe(true);
    expect(originAllowed(from("null"), [])).toBe(false);
  });
});
