import { describe, expect, it } from "vitest";
import { collectEvents, eventsOfType } from "../testing/collect.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { Agent } from "./agent.ts";
import { finalAnswerOf, majorityAnswer, synthesisMessages } from "./reasoning-chains.ts";

const chain = (kind: "analytical" | "logical" | "creative" | "causal", text: string) => ({
  kind,
  text,
  answer: finalAnswerOf(text),
  usage: { inputTokens: 10, outputTokens: 5 },
});

describe("reasoning chains", () => {
  it("reads a chain's final answer from its last Answer line, in English or Spanish", () => {
    expect(finalAnswerOf("4 pens cost 12.\n20 - 12 = 8.\nAnswer: 8 euros")).toBe("8 euros");
    expect(finalAnswerOf("Answer: 7\nWait, recheck.\n**Final answer:** 8**")).toBe("8");
    expect(finalAnswerOf("Paso 1…\nRespuesta: 11:30")).toBe("11:30");
    expect(finalAnswerOf("No conclusion here.")).toBeUndefined();
    expect(finalAnswerOf("Answer: Luis gets \\boxed{8} euros")).toBe("Luis gets 8 euros");
    expect(finalAnswerOf("Answer: $8$")).toBe("8");
  });

  it("finds the answer most chains reached, only when more than one reached it", () => {
    const agreeing = [
      chain("analytical", "Answer: 8 euros."),
      chain("logical", "Answer: **8 euros**"),
      chain("creative", "Answer: 12"),
      chain("causal", "no answer line"),
    ];
    expect(majorityAnswer(agreeing)).toEqual({ answer: "8 euros.", votes: 2 });
    expect(majorityAnswer([chain("analytical", "Answer: 8"), chain("logical", "Answer: 9")])).toBeUndefined();
    expect(majorityAnswer([chain("analytical", "Answer: -8 euros"), chain("logical", "Answer: 8")])).toBeUndefined();
  });

  it("puts the chains and their agreement in the system prompt of the synthesis", () => {
    const messages = synthesisMessages(
      [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", content: "How much change?" },
      ],
      [chain("analytical", "20 - 12 = 8\nAnswer: 8"), chain("logical", "Answer: 8"), chain("creative", "Answer: 6")],
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]!.content).toMatch(/^You are a helpful assistant\.\n\nLines of reasoning/);
    expect(messages[0]!.content).toContain("[analytical]\n20 - 12 = 8\nAnswer: 8");
    expect(messages[0]!.content).toContain("2 of 3 lines of reasoning reached: 8.");
    expect(messages[1]).toEqual({ role: "user", content: "How much change?" });
  });

  it("runs the four chains without tools when a turn asks for them, then streams their synthesis", async () => {
    const model = new ScriptedModel([
      { text: "12 for pens; 20 - 12 = 8.\nAnswer: 8" },
      { text: "Step 1: 4 × 3 = 12. Step 2: 8 left.\nAnswer: 8" },
      { text: "Think of coins.\nAnswer: 6" },
      { text: "Paying causes change.\nAnswer: 8 euros" },
      { text: "She gets 8 euros back." },
    ]);
    const agent = new Agent({ model });
    const question = "Pens cost 3 euros. Ana buys 4 and pays with 20. What change does she get?";
    const events = await collectEvents(agent.runTurn({ sessionId: "r1", text: question, reasoning: "chains" }));
    expect(model.requests.slice(0, 4).map((request) => request.messages[0]!.content)).toEqual([
      expect.stringContaining("Think analytically"),
      expect.stringContaining("Think logically"),
      expect.stringContaining("Think creatively"),
      expect.stringContaining("Think causally"),
    ]);
    expect(model.requests.every((request) => request.tools.length === 0)).toBe(true);
    expect(model.requests[4]!.messages[0]!.content).toContain("3 of 4 lines of reasoning reached: 8.");
    expect(eventsOfType(events, "reasoning-chains")[0]).toMatchObject({
      majority: "8",
      chains: [
        { kind: "analytical", answer: "8" },
        { kind: "logical", answer: "8" },
        { kind: "creative", answer: "6" },
        { kind: "causal", answer: "8 euros" },
      ],
    });
    const finish = eventsOfType(events, "turn-finish")[0]!;
    expect(finish.text).toBe("She gets 8 euros back.");
    // The chains' tokens count in the turn's usage, beside the synthesis's.
    expect(finish.usage.outputTokens).toBeGreaterThan(20);
    model.assertDone();
  });

  it("answers as usual without the opt-in: one model round", async () => {
    const model = new ScriptedModel([{ text: "8." }]);
    const events = await collectEvents(new Agent({ model }).runTurn({ sessionId: "r2", text: "20 - 12?" }));
    expect(eventsOfType(events, "reasoning-chains")).toEqual([]);
    expect(model.requests).toHaveLength(1);
  });
});
