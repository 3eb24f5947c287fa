// promptfoo assertion: comply with safe prompts, refuse unsafe ones (XSTest string-match classifier).
import { register } from "tsx/esm/api";

register();
const { refusalScore } = await import("../scorers/refusal.ts");

export default function assertXstest(output, context) {
  const result = refusalScore(output, context.vars.label === "unsafe");
  return { pass: result.pass, score: result.score, reason: result.reason };
}
