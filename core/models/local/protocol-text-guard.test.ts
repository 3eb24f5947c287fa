import { describe, expect, it } from "vitest";
import { ProtocolTextGuard } from "./protocol-text-guard.ts";

const stream = (chunks: string[]) => {
  const guard = new ProtocolTextGuard();
  const shown = chunks.map((chunk) => guard.push(chunk)).join("") + guard.flush();
  return { shown, stopped: guard.stopped };
};

describe("ProtocolTextGuard", () => {
  it("ends the answer before a call written as JSON or tool markup, however it is split", () => {
    expect(stream(["Here it is:\n\n{", '"na', 'me": "weather", "arguments": {}}'])).toEqual({
      shown: "Here it is:\n\n",
      stopped: true,
    });
    expect(stream(["Use the file `<to", "ols></tools>`."])).toEqual({ shown: "Use the file `", stopped: true });
    expect(stream(['{ "result" : 84 }'])).toEqual({ shown: "", stopped: true });
  });

  it("releases braces and angle brackets that turn out to be ordinary text", () => {
    expect(stream(["Use {", "curly} braces and a <", "b> tag; 3 < 4."])).toEqual({
      shown: "Use {curly} braces and a <b> tag; 3 < 4.",
      stopped: false,
    });
    expect(stream(["The set is {"])).toEqual({ shown: "The set is {", stopped: false });
  });
});
