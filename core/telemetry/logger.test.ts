import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

function captured(write: (logger: ReturnType<typeof createLogger>) => void, level?: "debug" | "warn"): string[] {
  const lines: string[] = [];
  write(
    createLogger({ name: "test", ...(level ? { level } : {}), destination: { write: (line) => lines.push(line) } }),
  );
  return lines;
}

describe("logger", () => {
  it("writes JSON lines with personal data and secret fields redacted, other values as they are", () => {
    const [output] = captured((logger) =>
      logger.warn("turn failed", {
        userText: "card 4111 1111 1111 1111, phone +34 612 345 678",
        apiKey: "sk-ant-abcdefghijklmnop",
        at: new Date("2026-11-27T10:00:00.000Z"),
        turns: 3,
      }),
    );
    const line = JSON.parse(output!);
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

  it("adds a child's bindings to each of its lines, redacted like fields", () => {
    const lines = captured((logger) => {
      const turn = logger.child!({ sessionId: "s-1", turnId: "t-9", email: "ana@example.com" });
      turn.info("tool call", { tool: "weather" });
      turn.child!({ callId: "c1" }).error("tool failed");
    });
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { sessionId: "s-1", turnId: "t-9", email: "[EMAIL]", message: "tool call", tool: "weather", level: "info" },
      { sessionId: "s-1", turnId: "t-9", callId: "c1", message: "tool failed", level: "error" },
    ]);
  });

  it("writes nothing under its level, and redacts secrets in the message itself", () => {
    const lines = captured((logger) => {
      logger.debug("hidden");
      logger.info("also hidden");
      logger.warn("upstream said: invalid key sk-ant-abcdefghijklmnop");
    }, "warn");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("sk-ant-abcdefghijklmnop");
    expect(JSON.parse(lines[0]!).message).toBe("upstream said: invalid key [redacted]");
  });
});
