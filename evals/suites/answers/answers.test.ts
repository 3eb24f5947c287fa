import { describe, expect, it } from "vitest";
import { ScriptedModel } from "realtime-agent/testing";
import { InProcessDriver } from "../../runner/in-process-driver.ts";
import { type AnswerCase, answersSuite, inventedNumbers, loadAnswerCases, metaTalkScore } from "./suite.ts";

const cases = loadAnswerCases();
const find = (id: string) => cases.find((item) => item.id === id) as AnswerCase;
const runCase = (model: ScriptedModel, id: string) =>
  answersSuite.runCase(find(id), { driver: new InProcessDriver({ model }), judge: undefined, seed: 1, repeat: 0 });

describe("answers dataset", () => {
  it("has every kind of case in both languages, each with what it checks", () => {
    for (const language of ["en", "es"])
      for (const category of ["calculator", "weather", "currency", "web_search", "chat"])
        expect(cases.filter((item) => item.language === language && item.category === category).length).toBeGreaterThan(
          1,
        );
    for (const item of cases.filter((entry) => entry.category === "calculator"))
      expect(item.value).toBeTypeOf("number");
    for (const item of cases.filter((entry) => !["calculator", "chat"].includes(entry.category)))
      expect(item.service).toBeTruthy();
  });
});

describe("answers scoring", () => {
  it("passes a quoted calculator result and fails a recomputed one", async () => {
    const quoted = await runCase(
      new ScriptedModel([
        { toolCalls: [{ name: "calculator", arguments: { expression: "17*23" } }] },
        { text: "17 times 23 is 391." },
      ]),
      "en-calculator-01",
    );
    expect(quoted.scores.quotes_result?.pass).toBe(true);
    expect(quoted.scores.language?.pass).toBe(true);
    const recomputed = await runCase(
      new ScriptedModel([
        { toolCalls: [{ name: "calculator", arguments: { expression: "17*23" } }] },
        { text: "17 times 23 is 381." },
      ]),
      "en-calculator-01",
    );
    expect(recomputed.scores.quotes_result?.pass).toBe(false);
  });

  it("reaches no service: the agent names it in the user's language and invents no figure", async () => {
    const outcome = await runCase(
      new ScriptedModel([{ toolCalls: [{ name: "weather", arguments: { city: "Madrid", days: 2 } }] }]),
      "es-weather-01",
    );
    expect(outcome.tool_calls.map((call) => call.name)).toEqual(["weather"]);
    expect(outcome.output).toMatch(/^No pude obtener ese dato de Open-Meteo: no se pudo conectar\./);
    expect(outcome.scores).toMatchObject({
      names_service: { pass: true },
      invents_nothing: { pass: true },
      language: { pass: true },
    });
    expect(outcome.protocol_leaks).toEqual([]);
  });

  it("fails an invented figure, a call on plain chat, and an English answer to Spanish", async () => {
    expect(inventedNumbers("Mañana 21 grados en Madrid.", "¿Qué tiempo hará mañana en Madrid?")).toEqual([21]);
    expect(inventedNumbers("Dividing 2,048 by 16 gives 128.", "What's 2,048 divided by 16?")).toEqual([128]);
    const called = await runCase(
      new ScriptedModel([{ toolCalls: [{ name: "web_search", arguments: { query: "libro" } }] }]),
      "es-chat-02",
    );
    expect(called.scores.no_call?.pass).toBe(false);
    const english = await runCase(new ScriptedModel([{ text: "I recommend Dune, a classic." }]), "es-chat-02");
    expect(english.scores).toMatchObject({ no_call: { pass: true }, language: { pass: false } });
  });
});

describe("meta talk", () => {
  it("fails an answer about the exchange and passes one to the user", () => {
    expect(
      metaTalkScore("La respuesta proporcionada es correcta. Cuando un tool calcula una expresión, devuelve 129.").pass,
    ).toBe(false);
    expect(metaTalkScore("This tool response correctly sums the numbers.").pass).toBe(false);
    expect(metaTalkScore("El 15% de 860 es 129.").pass).toBe(true);
    expect(metaTalkScore("Tooling aside, the sum is 5030.").pass).toBe(true);
  });
});
