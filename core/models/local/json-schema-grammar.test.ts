import { describe, expect, it } from "vitest";
import { buildToolArgumentsGrammar, buildToolCallGrammar, parseCallJson } from "./json-schema-grammar.ts";

const loan = {
  name: "mortgage",
  description: "Monthly payment.",
  inputSchema: {
    type: "object",
    properties: { amount: { type: "number" }, term: { type: "integer" }, note: { type: "string" } },
    required: ["amount", "term"],
  },
};

describe("call grammars", () => {
  it("let a call's arguments end with a comma, so a value ends where the model ends it", () => {
    const grammar = buildToolArgumentsGrammar(loan);
    expect(grammar).toMatch(/^mortgage-arguments ::= .*","\? "\}"$/m);
    // The SmolLM2 list grammar keeps strict JSON.
    expect(buildToolCallGrammar([loan])).not.toContain('","?');
  });

  it("reads such a call back as JSON, and leaves commas inside strings alone", () => {
    expect(parseCallJson('{"name": "mortgage", "arguments": {"amount": 400000, "term": 15,}}')).toEqual({
      name: "mortgage",
      arguments: { amount: 400000, term: 15 },
    });
    expect(parseCallJson('{"note": "a,}b"}')).toEqual({ note: "a,}b" });
    expect(parseCallJson('{"query": "a,}", "n": 2, }')).toEqual({ query: "a,}", n: 2 });
    expect(parseCallJson('{"q": "say \\"x,}\\"",}')).toEqual({ q: 'say "x,}"' });
    expect(() => parseCallJson('{"amount": }')).toThrow();
  });
});
