// promptfoo assertion: BFCL AST match of the calls the provider returned.
import { register } from "tsx/esm/api";

register();
const { matchCalls } = await import("../bfcl/ast-match.ts");

export default function assertBfcl(output, context) {
  let calls;
  try {
    calls = JSON.parse(output);
  } catch {
    return { pass: false, score: 0, reason: "provider output is not a JSON list of calls" };
  }
  const result = matchCalls(Array.isArray(calls) ? calls : [], context.vars.ground_truth, context.vars.functions);
  return { pass: result.pass, score: result.score, reason: result.reason };
}
