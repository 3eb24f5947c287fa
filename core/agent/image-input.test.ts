import { describe, expect, it } from "vitest";
import { collectEvents, eventsOfType } from "../testing/collect.ts";
import { ScriptedModel, tinyPng } from "../testing/scripted-model.ts";
import { InMemorySessionStore } from "../memory/in-memory-store.ts";
import { Agent } from "./agent.ts";
import { checkImages, maxImageBytes } from "./image-input.ts";

describe("images sent with a message", () => {
  it("passes a well-formed image on, and refuses what is not one before any model sees it", () => {
    expect(checkImages([{ mediaType: "image/png", data: `${tinyPng.slice(0, 40)}\n${tinyPng.slice(40)}` }])).toEqual([
      { mediaType: "image/png", data: tinyPng },
    ]);
    const refused = (images: Parameters<typeof checkImages>[0]) => {
      try {
        checkImages(images);
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
      return "accepted";
    };
    expect(refused([{ mediaType: "image/svg+xml" as "image/png", data: tinyPng }])).toMatch(/^INPUT_MALFORMED: .*svg/);
    expect(refused([{ mediaType: "image/png", data: "not base64!" }])).toMatch(/^INPUT_MALFORMED: .*not base64/);
    expect(refused([{ mediaType: "image/jpeg", data: tinyPng }])).toMatch(/^INPUT_MALFORMED: .*not image\/jpeg/);
    expect(refused(Array.from({ length: 5 }, () => ({ mediaType: "image/png" as const, data: tinyPng })))).toMatch(
      /^INPUT_TOO_LARGE: .*4 images/,
    );
    const huge = tinyPng.slice(0, 12) + "A".repeat(Math.ceil((maxImageBytes * 4) / 3 / 4) * 4);
    expect(refused([{ mediaType: "image/png", data: huge }])).toMatch(/^INPUT_TOO_LARGE/);
  });

  it("gives the model that reads images the message with its image, and keeps a note of it in the session", async () => {
    const model = new ScriptedModel([{ text: "A single transparent pixel." }], { vision: true });
    const agent = new Agent({ model });
    const events = await collectEvents(
      agent.runTurn({
        sessionId: "i1",
        text: "What is in this picture?",
        images: [{ mediaType: "image/png", data: tinyPng }],
      }),
    );
    expect(eventsOfType(events, "turn-finish")[0]!.text).toBe("A single transparent pixel.");
    expect(model.requests[0]!.messages.at(-1)).toEqual({
      role: "user",
      content: "What is in this picture?",
      images: [{ mediaType: "image/png", data: tinyPng }],
    });
    // The session keeps the words and a note of the image; a message of images alone is never empty there.
    const alone = new ScriptedModel([{ text: "A pixel." }], { vision: true });
    const store = new InMemorySessionStore();
    await collectEvents(
      new Agent({ model: alone, store }).runTurn({
        sessionId: "i3",
        text: "",
        images: [{ mediaType: "image/png", data: tinyPng }],
      }),
    );
    expect((await store.load("i3")).recentTurns.map((turn) => turn.userText)).toEqual(["[an image]"]);
    const [kept] = (await agent.store.load("i1")).recentTurns;
    expect(kept!.userText).toBe("What is in this picture? [an image]");
  });

  it("refuses images for a model that reads none (the local model), saying how to send them", async () => {
    const model = new ScriptedModel([]);
    const events = await collectEvents(
      new Agent({ model }).runTurn({
        sessionId: "i2",
        text: "What is this?",
        images: [{ mediaType: "image/png", data: tinyPng }],
      }),
    );
    const error = eventsOfType(events, "error")[0]!;
    expect(error).toMatchObject({ code: "INPUT_UNSUPPORTED", retryable: false });
    expect(error.message).toContain("ANTHROPIC_API_KEY");
    expect(model.requests).toEqual([]);
  });
});
