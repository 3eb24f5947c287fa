import { describe, expect, it } from "vitest";
import { reconcileWeatherCall, weatherReconciler } from "./reconcile-weather-call.ts";

const kept = (userText: string, city: string, previousUserText?: string) =>
  reconcileWeatherCall({ city }, { userText, previousUserText }) !== null;

describe("reconcileWeatherCall", () => {
  it("drops a call for a city the user never wrote nor named otherwise", () => {
    expect(kept("¿A qué temperatura hierve el agua al nivel del mar?", "Tokyo")).toBe(false);
    expect(kept("¿Necesito abrigo esta noche?", "Quito")).toBe(false);
  });

  it("keeps cities written in another language, form or case, by initials, or in the message before", () => {
    expect(kept("tiempo en londres", "London")).toBe(true);
    expect(kept("¿Llueve en Múnich?", "Munich")).toBe(true);
    expect(kept("Will it rain tomorrow in nyc", "New York")).toBe(true);
    expect(kept("¿Y mañana?", "Madrid", "¿Qué tiempo hace en Madrid?")).toBe(true);
    // A name the model may have translated: kept.
    expect(kept("What's the weather like in Pekín?", "Beijing")).toBe(true);
  });
});

describe("weatherReconciler", () => {
  const reconcile = weatherReconciler(["Tokyo", "London"]);
  it("drops an example city the user never wrote, even when the message writes other names", () => {
    const context = { userText: "¿Por qué en invierno hace frío si la Tierra está más cerca del Sol?" };
    expect(reconcile({ city: "Tokyo" }, context)).toBeNull();
    expect(reconcile({ city: "Beijing" }, { userText: "What's the weather like in Pekín?" })).toEqual({
      city: "Beijing",
    });
    expect(reconcile({ city: "London" }, { userText: "¿Llueve en Londres?" })).toEqual({ city: "London" });
  });
});

describe("weatherReconciler with other languages' names", () => {
  it("keeps an example city the user wrote in Spanish", () => {
    const reconcile = weatherReconciler(["Tokyo", "Nice"]);
    expect(reconcile({ city: "Tokyo" }, { userText: "¿Qué tiempo hace en Tokio?" })).toEqual({ city: "Tokyo" });
    expect(reconcile({ city: "Nice" }, { userText: "¿Hace calor en Niza?" })).toEqual({ city: "Nice" });
  });
});
