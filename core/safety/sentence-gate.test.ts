import { describe, expect, it } from "vitest";
import { SentenceGate } from "./sentence-gate.ts";

describe("SentenceGate", () => {
  it("releases whole sentences as their end arrives, and holds the rest", () => {
    const gate = new SentenceGate();
    expect(gate.push("Hello the")).toEqual([]);
    expect(gate.push("re. How are")).toEqual(["Hello there. "]);
    expect(gate.push(" you? Fine")).toEqual(["How are you? "]);
    expect(gate.flush()).toBe("Fine");
    expect(gate.flush()).toBe("");
  });

  it("does not cut inside numbers, and ends at line breaks", () => {
    const gate = new SentenceGate();
    expect(gate.push("It costs 2.5 euros")).toEqual([]);
    expect(gate.push(" or 3. Then\n- one")).toEqual(["It costs 2.5 euros or 3. ", "Then\n"]);
    expect(gate.flush()).toBe("- one");
  });

  it("releases a long run without an end at a space", () => {
    const gate = new SentenceGate(20);
    const released = gate.push("one two three four five six seven eight");
    expect(released.join("") + gate.flush()).toBe("one two three four five six seven eight");
    expect(released.every((part) => part.length <= 20)).toBe(true);
    expect(released.length).toBeGreaterThan(0);
  });
});
