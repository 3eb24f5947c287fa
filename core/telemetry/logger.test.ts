import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

function captured(write: () => void): string {
  const lines: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string) => lines.push(chunk) > 0) as typeof process.stderr.write;
  try {
    write();
  } finally {
    process.stderr.write = original;
  }
  return lines.join("");
}

describe("logger", () => {
  it("writes JSON lines with personal data and secret fields redacted, other values as they are", () => {
    const output = captured(() =>
      createLogger({ name: "test" }).warn("turn failed", {
        userText: "card 4111 1111 1111 1111, phone +34 612 345 678",
        apiKey: "sk-ant-abcdefghijklmnop",
        at: new Date("2026-11-27T10:00:00.000Z"),
        turns: 3,
      }),
    );
    const line = JSON.parse(output);
    expect(line).toMatchObject({
      level: "warn",
      name: "test",
      message: "turn failed",
      userText: "card [CARD], phone [PHONE]",
      apiKey: "[redacted]",
      at: "2026-11-27T10:00:00.000Z",
      turns: 3,
    });
  });
});
