import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { type ErrorCode, type ErrorCodeEntry, errorCodes } from "./error-codes.ts";

/**
 * Every code in the table is either asserted by some test or marked reserved with a reason.
 *
 * "Asserted" means: in a test file (`*.test.ts`) or a contract suite (`core/testing/contracts/*.ts`), the code appears
 * as a string literal or a name (`errorCodes.SERVER_SHUTTING_DOWN`) inside an `expect(...)` chain: the
 * subject, a matcher's arguments, or `expect.objectContaining(...)`. A code that only appears where a
 * test builds an error to feed the code under test does not count. The error table's own tests are left
 * out: they check every row by construction, which says nothing about whether the code is ever raised.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const skippedFolders = new Set([
  "node_modules",
  "models",
  ".git",
  "evals/results",
  "benchmarks/reports",
  "server/static",
]);
const ownTests = new Set([
  "core/contracts/errors.test.ts",
  "core/contracts/error-codes-page.test.ts",
  "core/contracts/error-codes-coverage.test.ts",
]);

function testFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return skippedFolders.has(relative(root, path)) ? [] : testFiles(path);
    const isContractSuite = relative(root, folder) === join("core", "testing", "contracts");
    const isTest = entry.name.endsWith(".test.ts") || (isContractSuite && entry.name.endsWith(".ts"));
    return isTest ? [path] : [];
  });
}

/** The root of a call chain: `expect` for `expect(x).rejects.toMatchObject(y)` and `expect.objectContaining(z)`. */
function chainRoot(node: ts.Expression): ts.Expression {
  if (ts.isCallExpression(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
    return chainRoot(node.expression);
  return node;
}

function isExpectChain(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const start = chainRoot(node.expression);
  return ts.isIdentifier(start) && start.text === "expect";
}

/** The codes named inside the file's expect chains. */
function assertedCodes(path: string): Set<string> {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const found = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isIdentifier(node)) {
      if (Object.hasOwn(errorCodes, node.text)) found.add(node.text);
    }
    node.forEachChild(collect);
  };
  const visit = (node: ts.Node): void => {
    if (isExpectChain(node)) collect(node);
    else node.forEachChild(visit);
  };
  visit(source);
  return found;
}

describe("error code coverage", () => {
  const assertedBy = new Map<string, string[]>();
  for (const path of testFiles(root)) {
    const file = relative(root, path);
    if (ownTests.has(file)) continue;
    for (const code of assertedCodes(path)) assertedBy.set(code, [...(assertedBy.get(code) ?? []), file]);
  }

  it("finds test files to scan, including the contract suites", () => {
    const scanned = testFiles(root).map((path) => relative(root, path));
    expect(scanned).toContain("core/agent/agent.test.ts");
    expect(scanned).toContain("core/models/fallback/fallback-chain.test.ts");
    expect(scanned.some((file) => file.includes(join("core", "testing", "contracts", "remote-provider.ts")))).toBe(
      true,
    );
  });

  it.each(Object.entries(errorCodes) as [ErrorCode, ErrorCodeEntry][])(
    "%s is asserted by a test, or reserved with a reason",
    (code, entry) => {
      if (entry.reserved !== undefined) {
        expect(entry.reserved.trim().length, `${code}: say why it is reserved`).toBeGreaterThan(10);
        expect(assertedBy.get(code), `${code} is asserted by a test: it is no longer reserved`).toBeUndefined();
        return;
      }
      expect(assertedBy.get(code), `no test asserts ${code}; add one, or mark it reserved`).toBeDefined();
    },
  );
});
