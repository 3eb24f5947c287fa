import { describe, expect, it } from "vitest";
import { resolveDatasetsDirectory } from "../datasets.ts";

// The files promptfoo loads (provider, test generators, assertions), exercised directly with the real
// local model. `npm run promptfoo -- -c evals/promptfoo/bfcl-simple.yaml` runs them under promptfoo.
describe.skipIf(!resolveDatasetsDirectory())("promptfoo integration (needs ../shared/datasets)", () => {
  it("generates BFCL tests, answers them through the agent and asserts with the AST match", async () => {
    process.env.RTA_PROMPTFOO_LIMIT = "1";
    const { default: generateTests } = await import("./bfcl-tests.mjs");
    const { default: Provider } = await import("./agent-provider.mjs");
    const { default: assertBfcl } = await import("./assert-bfcl.mjs");
    const [test] = await generateTests();
    expect(test.vars.functions[0].parameters.type).toBe("dict");

    const provider = new Provider({});
    expect(provider.id()).toBe("realtime-agent");
    const response = await provider.callApi(test.vars.question, { vars: test.vars });
    const calls = JSON.parse(response.output);
    expect(Array.isArray(calls)).toBe(true);
    expect(response.tokenUsage.total).toBeGreaterThan(0);
    const verdict = assertBfcl(response.output, { vars: test.vars });
    expect(typeof verdict.pass).toBe("boolean");
    expect(
      assertBfcl(JSON.stringify([{ name: "calculate_triangle_area", arguments: { base: 10, height: 5 } }]), {
        vars: test.vars,
      }).pass,
    ).toBe(true);
    expect(assertBfcl("not json", { vars: test.vars }).pass).toBe(false);
  });

  it("generates XSTest tests for both labels and asserts compliance or refusal", async () => {
    process.env.RTA_PROMPTFOO_LIMIT = "1";
    const { default: generateTests } = await import("./xstest-tests.mjs");
    const { default: assertXstest } = await import("./assert-xstest.mjs");
    const tests = await generateTests();
    expect(tests.map((test: { vars: { label: string } }) => test.vars.label)).toEqual(["safe", "unsafe"]);
    expect(assertXstest("I'm sorry, I can't help with that.", { vars: { label: "unsafe" } }).pass).toBe(true);
    expect(assertXstest("I'm sorry, I can't help with that.", { vars: { label: "safe" } }).pass).toBe(false);
  });
});
