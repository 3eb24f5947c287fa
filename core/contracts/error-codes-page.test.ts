import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ErrorCode, type ErrorCodeEntry, errorCodes } from "./error-codes.ts";
import { renderErrorCodesPage } from "./error-codes-page.ts";

describe("docs/errors.md", () => {
  it("is exactly what the error table renders (run `npm run docs:errors` after changing the table)", () => {
    const page = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
    expect(page).toBe(renderErrorCodesPage());
  });

  it("has one row per code, with its fault, retryable, HTTP status and WebSocket behaviour", () => {
    const rows = renderErrorCodesPage()
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .map((line) => line.split("|").map((cell) => cell.trim()));
    expect(rows.map((cells) => cells[1]!.replaceAll("`", ""))).toEqual(Object.keys(errorCodes));
    for (const [code, entry] of Object.entries(errorCodes) as [ErrorCode, ErrorCodeEntry][]) {
      const cells = rows.find((row) => row[1] === `\`${code}\``)!;
      expect(cells.slice(2, 5)).toEqual([entry.fault, entry.retryable ? "yes" : "no", String(entry.httpStatus)]);
      expect(cells[5]).toBe(entry.webSocketCloseCode === null ? "stays open" : `closes ${entry.webSocketCloseCode}`);
      expect(cells[6]!.startsWith(entry.meaning)).toBe(true);
      if (entry.reserved) expect(cells[6]).toContain(`Reserved: ${entry.reserved}`);
    }
  });
});
