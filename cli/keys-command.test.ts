import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ApiKeys } from "../server/auth/api-keys.ts";
import { keysCommand } from "./commands/keys.ts";
import { exposureProblem } from "./commands/serve.ts";

describe("rta keys", () => {
  it("`rta keys new --file` adds an entry the server accepts, and prints the key once", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "rta-keys-")), "keys.json");
    const printed: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => printed.push(chunk) > 0) as typeof process.stdout.write;
    try {
      expect(await keysCommand(["new", "--id", "ops", "--scopes", "metrics", "--file", file])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    const key = /key \(shown once; give it to the client\): (\S+)/.exec(printed.join(""))?.[1];
    expect(readFileSync(file, "utf8")).not.toContain(key!);
    const principal = ApiKeys.fromEnv({ RTA_API_KEYS_FILE: file }).authenticate(key);
    expect(principal).toEqual({ owner: "ops", scopes: new Set(["metrics"]) });
    expect(await keysCommand(["new", "--id", "ops", "--file", file])).toBe(2);
  });
});

describe("rta serve without keys", () => {
  it("refuses a public address unless told the network is the user's alone", () => {
    expect(exposureProblem("127.0.0.1", false, {})).toBeUndefined();
    expect(exposureProblem("::1", false, {})).toBeUndefined();
    expect(exposureProblem("0.0.0.0", true, {})).toBeUndefined();
    expect(exposureProblem("0.0.0.0", false, {})).toMatch(/refusing to listen on 0\.0\.0\.0 without authentication/);
    expect(exposureProblem("0.0.0.0", false, { RTA_ALLOW_UNAUTHENTICATED: "1" })).toBeUndefined();
  });
});
