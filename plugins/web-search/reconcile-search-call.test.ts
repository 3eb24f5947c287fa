import { describe, expect, it } from "vitest";
import { reconcileSearchCall } from "./reconcile-search-call.ts";

const search = (userText: string, query: string, previousUserText?: string) =>
  reconcileSearchCall({ query }, { userText, previousUserText });

describe("reconcileSearchCall", () => {
  it("drops a query none of whose words the user wrote", () => {
    expect(search("How do search engines decide which results to show first?", "example")).toBeNull();
    expect(search("¿Cómo funciona un buscador como Google por dentro?", "hola")).toBeNull();
  });

  it("keeps a query the user's words (or their English reading) ground, and adds the names it left out", () => {
    expect(search("Who is the current president of Chile?", "president")).toEqual({ query: "president Chile" });
    expect(search("Busca reseñas de la película Dune", "Dune movie reviews")).toEqual({ query: "Dune movie reviews" });
    expect(search("¿Y su próxima película?", "Christopher Nolan next movie", "¿Quién dirigió Oppenheimer?")).toEqual({
      query: "Christopher Nolan next movie",
    });
    expect(search("Who won the Nobel Prize in Literature?", "Nobel Prize Literature winner")).toEqual({
      query: "Nobel Prize Literature winner",
    });
  });
});

describe("reconcileSearchCall on hostile input", () => {
  it("reads a 64 KB message in linear time", () => {
    const hostile = `a${" ".repeat(32_000)}B${" Xy".repeat(10_000)}`;
    expect(search(hostile, "xy")?.query).toContain("xy");
  });
});

describe("reconcileSearchCall keeps what it cannot call invented", () => {
  it("grounds short words, words that start each other, and initials", () => {
    expect(search("Who's the PM of the UK?", "prime minister United Kingdom")).not.toBeNull();
    expect(search("What's new with AI?", "AI news")).not.toBeNull();
    expect(search("tell me the latest on the Fed", "Federal Reserve latest")).not.toBeNull();
  });

  it("adds no courtesy, engine or clause-opening word as a name", () => {
    expect(search("Quick question: What is the tallest building?", "tallest building")?.query).toBe("tallest building");
    expect(search("Hi there\nCould you find the tallest building", "tallest building")?.query).toBe("tallest building");
    expect(search("search Google for the tallest building, ok Thanks", "tallest building")?.query).toBe(
      "tallest building",
    );
  });
});
