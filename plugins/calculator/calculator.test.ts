import { describe, expect, it } from "vitest";
import { executeToolCall, ToolRegistry, silentLogger } from "realtime-agent";
import { runPluginContract } from "realtime-agent/testing/contracts";
import { calculatorPlugin } from "./index.ts";
import { calculate, normalizeExpression } from "./evaluate-expression.ts";

describe("calculator", () => {
  it.each([
    ["12.5% of 3,480", 435],
    ["12.5% * 3480", 435],
    ["12.5 percent of 3480", 435],
    ["3% * 1200", 36],
    ["(45 + 15) / 4", 15],
    ["1,234,567 + 1", 1234568],
    ["0.1 + 0.2", 0.3],
    ["2^10", 1024],
    ["$84.20 * 15%", 12.63],
    ["7 × 6", 42],
    ["sqrt(16) + 1", 5],
  ])("%s = %d", (expression, expected) => {
    expect(calculate(expression).result).toBe(expected);
  });

  it("reads a comma that is no thousands group as a decimal comma, except between function arguments", () => {
    expect(normalizeExpression("1,5")).toBe("1.5");
    expect(calculate("3,5 * 3,5").result).toBe(12.25);
    expect(calculate("0,5 + 0,25").result).toBe(0.75);
    expect(calculate("max(3,5)").result).toBe(5);
    expect(calculate("2,500 / 2").result).toBe(1250);
  });

  it("reads what small models write: powers as **, degrees beside numbers, a worked chain", () => {
    expect(calculate("2**10").result).toBe(1024);
    expect(calculate("30°C * 9/5 + 32").result).toBe(86);
    expect(calculate("60 * (1 - 0.30) = 60 * 0.70 = 42 euros").result).toBe(42);
    expect(calculate("100 °F to °C").result).toMatch(/^37\.77\d* degC$/);
    expect(calculate("1 + 1 == 2").result).toBe("true");
  });

  it("reads 2.500 as two thousand five hundred when the user writes Spanish, and as 2.5 otherwise", () => {
    expect(calculate("0.08 * 2.500", "es").result).toBe(200);
    expect(calculate("2.345 + 6.789", "es").result).toBe(9134);
    expect(calculate("1.5 * 2", "es").result).toBe(3);
    expect(calculate("0.08 * 2.500", "en").result).toBe(0.2);
    expect(calculate("0.08 * 2.500").result).toBe(0.2);
  });

  it("converts units", () => {
    expect(calculate("5 km to m").result).toBe("5000 m");
  });

  it.each([
    ["import({})", /disabled/],
    ['evaluate("1+1")', /disabled/],
    ['createUnit("foo")', /disabled/],
    ["1/0", /no finite value/],
    ["f(x) = x^2", /defining functions is not allowed/],
    ['config({number: "BigNumber"})', /Function config is disabled/],
    ["process.exit(1)", /Cannot evaluate/],
  ])("refuses %s", (expression, message) => {
    expect(() => calculate(expression)).toThrow(message);
  });

  it("returns errors to the model as tool errors through the executor", async () => {
    const registry = new ToolRegistry().register(calculatorPlugin);
    const options = { registry, sessionId: "s", signal: new AbortController().signal, logger: silentLogger };
    const ok = await executeToolCall(
      { callId: "1", name: "calculator", arguments: { expression: "12.5% of 3,480" } },
      options,
    );
    const bad = await executeToolCall({ callId: "2", name: "calculator", arguments: { expression: "1/0" } }, options);
    const invalid = await executeToolCall({ callId: "3", name: "calculator", arguments: { expr: "1" } }, options);
    expect(ok).toMatchObject({ ok: true, result: { result: 435 } });
    expect(bad).toMatchObject({ ok: false, error: { code: "TOOL_FAILED" } });
    expect(invalid).toMatchObject({ ok: false, error: { code: "TOOL_INVALID_INPUT" } });
  });
});

// Expressions that once took the whole server down (issue 11): each now costs at most one worker.
describe("calculator under attack, through the executor and its worker", () => {
  const registry = new ToolRegistry().register(calculatorPlugin);
  const run = (expression: string) =>
    executeToolCall(
      { callId: "x", name: "calculator", arguments: { expression } },
      { registry, sessionId: "s", signal: new AbortController().signal, logger: silentLogger },
    );

  /** Counts event-loop turns while `work` runs: a blocked loop counts none. */
  async function whileCounting<T>(work: Promise<T>): Promise<{ outcome: T; ticks: number }> {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      return { outcome: await work, ticks };
    } finally {
      clearInterval(ticker);
    }
  }

  it.each(["size(zeros(1e5, 1e5))", "size(random([1e8]))", "kron(ones(3000, 3000), ones(3000, 3000))"])(
    "stops %s, which asks for gigabytes, at the worker's heap limit",
    async (expression) => {
      const { outcome, ticks } = await whileCounting(run(expression));
      expect(outcome).toMatchObject({ ok: false, error: { code: "TOOL_FAILED", message: /more than 64 MB/ } });
      expect(ticks).toBeGreaterThan(0);
      expect(await run("6 * 7")).toMatchObject({ ok: true, result: { result: 42 } });
    },
  );

  it("stops an endless computation at the tool's timeout, the server's loop running all along", async () => {
    const { outcome, ticks } = await whileCounting(run("combinations(1e9, 5e8)"));
    expect(outcome).toMatchObject({ ok: false, error: { code: "TOOL_TIMEOUT" } });
    expect(ticks).toBeGreaterThan(0);
    expect(await run("2^10")).toMatchObject({ ok: true, result: { result: 1024 } });
  });

  it("refuses function definitions (exponential recursion) and config(), which changed every later result", async () => {
    expect(await run("f(n) = n < 1 ? 1 : f(n-1) + f(n-1); f(40)")).toMatchObject({
      ok: false,
      error: { code: "TOOL_FAILED", message: /defining functions is not allowed/ },
    });
    expect(await run('config({number: "BigNumber", precision: 2000})')).toMatchObject({
      ok: false,
      error: { message: /config is disabled/ },
    });
    expect(await run("1/3")).toMatchObject({ ok: true, result: { result: 0.333333333333 } });
  });
});

runPluginContract(calculatorPlugin, {
  calls: [
    {
      tool: "calculator",
      arguments: { expression: "12.5% of 3,480" },
      check: (result) => expect(result).toMatchObject({ result: 435 }),
    },
  ],
  cancellableCall: {
    skip: "the calculator runs in a worker, not through execute: the attack tests above cancel it (worker-pool.test.ts too)",
  },
});
