import { describe, expect, it } from "vitest";
import { ibanValid, luhnValid, redactPii, redactPiiDeep, spanishIdValid } from "./pii.ts";

describe("PII redaction", () => {
  it("redacts cards, IBANs, emails, phones, SSNs, DNIs and NIEs in English and Spanish text", () => {
    const cases: [string, string][] = [
      ["My card is 4111 1111 1111 1111, expires 12/27", "My card is [CARD], expires 12/27"],
      ["Tarjeta 5500-0000-0000-0004 por favor", "Tarjeta [CARD] por favor"],
      ["Transfer to ES91 2100 0418 4502 0005 1332 today", "Transfer to [IBAN] today"],
      ["IBAN: GB82WEST12345698765432", "IBAN: [IBAN]"],
      ["Write to ana.garcia+viajes@example.es", "Write to [EMAIL]"],
      ["Llámame al 612 345 678 o al +34 612 345 678", "Llámame al [PHONE] o al [PHONE]"],
      ["Call (555) 123-4567 or 555-123-4567", "Call [PHONE] or [PHONE]"],
      ["SSN 123-45-6789", "SSN [SSN]"],
      ["Mi DNI es 12345678Z y el NIE X1234567L", "Mi DNI es [DNI] y el NIE [NIE]"],
    ];
    for (const [text, expected] of cases) expect(redactPii(text).text).toBe(expected);
    expect(redactPii("card 4111111111111111, mail a@b.co").found).toEqual({ CARD: 1, EMAIL: 1 });
  });

  it("leaves amounts, dates, years, times and numbers that fail their checksum", () => {
    for (const text of [
      "I have 300,000 yen and 1,500 US dollars",
      "Tengo 300.000 yenes para 14 días",
      "The flight is on 2026-12-24 at 14:30",
      "Between 2020 and 2024 prices rose 12.5%",
      "Order 4111 1111 1111 1112 (not a valid card)",
      "DNI 12345678A has the wrong letter",
      "SSN 000-12-3456 is never issued",
      "What is 17 * 23 / 4?",
      "Version 1.2.3 of the app",
    ])
      expect(redactPii(text)).toEqual({ text, found: {} });
  });

  it("checks the checksums it relies on", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(ibanValid("ES9121000418450200051332")).toBe(true);
    expect(ibanValid("ES9121000418450200051333")).toBe(false);
    expect(spanishIdValid("12345678Z")).toBe(true);
    expect(spanishIdValid("X1234567L")).toBe(true);
    expect(spanishIdValid("Y1234567X")).toBe(true);
    expect(spanishIdValid("12345678A")).toBe(false);
  });

  it("redacts every string inside tool arguments and results", () => {
    expect(
      redactPiiDeep({ to: "bob@example.com", amounts: [12, "card 4111111111111111"], nested: { ok: true } }),
    ).toEqual({ to: "[EMAIL]", amounts: [12, "card [CARD]"], nested: { ok: true } });
  });
});
