import { z } from "zod";
import { ToolError, plugin, tool } from "realtime-agent";
import { getJson, hostOf, networkConfigSchema } from "../shared/http-json.ts";
import { toCurrencyCode } from "./currency-names.ts";
import { reconcileCurrencyCall } from "./reconcile-currency-call.ts";

/**
 * Currency conversion with the ECB's reference rates through a Frankfurter-compatible API
 * (GET /latest?from=USD&to=EUR,MXN&amount=100). Rates are published once per working day, so they are
 * cached for an hour; every result carries the rates' date.
 */
export const currencyConfigSchema = networkConfigSchema.extend({
  baseUrl: z.string().url().default("https://api.frankfurter.app"),
  rateCacheMs: z
    .number()
    .int()
    .min(0)
    .default(60 * 60 * 1000),
});
export type CurrencyConfig = z.infer<typeof currencyConfigSchema>;

const frankfurterSchema = z.object({
  amount: z.number(),
  base: z.string(),
  date: z.string(),
  rates: z.record(z.string(), z.number()),
});
const currencyCode = z
  .string()
  .transform(toCurrencyCode)
  .pipe(z.string().regex(/^[A-Z]{3}$/, "a three-letter ISO 4217 code such as USD, or a currency's name"));

export function currencyTool(config: CurrencyConfig) {
  const cache = new Map<string, { at: number; rates: Record<string, number>; date: string }>();
  return tool({
    name: "currency",
    description:
      "Convert an amount of money between currencies (exchange rate, e.g. dollars, euros, yen, pesos) with today's ECB reference rates.",
    inputSchema: z.object({
      amount: z.number().nonnegative().describe("The amount to convert"),
      from: currencyCode.describe("The currency to convert from, e.g. USD"),
      to: z.array(currencyCode).min(1).max(10).describe("The currencies the user asks to convert to"),
    }),
    outputSchema: z.object({
      amount: z.number(),
      from: z.string(),
      date: z.string(),
      converted: z.record(z.string(), z.number()),
      rates: z.record(z.string(), z.number()),
      source: z.string(),
    }),
    timeoutMs: config.timeoutMs,
    cacheTtlMs: config.rateCacheMs,
    idempotent: true,
    networkHosts: [hostOf(config.baseUrl)],
    service: "Frankfurter (ECB exchange rates)",
    examples: [
      {
        request: "How much is 100 US dollars in euros and Mexican pesos?",
        arguments: { amount: 100, from: "USD", to: ["EUR", "MXN"] },
      },
      { request: "Convert 50 EUR to USD and JPY", arguments: { amount: 50, from: "EUR", to: ["USD", "JPY"] } },
      {
        request: "What's the exchange rate from British pounds to US dollars?",
        arguments: { amount: 1, from: "GBP", to: ["USD"] },
      },
      {
        request: "I have 2,500 yen, how much is that in dollars?",
        arguments: { amount: 2500, from: "JPY", to: ["USD"] },
      },
      { request: "Convert 75 Canadian dollars to euros", arguments: { amount: 75, from: "CAD", to: ["EUR"] } },
      {
        request: "How many Swiss francs do I get for 300 euros?",
        arguments: { amount: 300, from: "EUR", to: ["CHF"] },
      },
      { request: "¿Cuántos euros son 100 dólares?", arguments: { amount: 100, from: "USD", to: ["EUR"] } },
      { request: "Convierte 50 euros a pesos mexicanos", arguments: { amount: 50, from: "EUR", to: ["MXN"] } },
      { request: "¿A cuánto está el dólar hoy en euros?", arguments: { amount: 1, from: "USD", to: ["EUR"] } },
      { request: "Cambia 2.000 yenes a euros", arguments: { amount: 2000, from: "JPY", to: ["EUR"] } },
      {
        request: "¿Cuántas libras esterlinas me dan por 300 euros?",
        arguments: { amount: 300, from: "EUR", to: ["GBP"] },
      },
      { request: "Necesito pasar 80 francos suizos a dólares", arguments: { amount: 80, from: "CHF", to: ["USD"] } },
      {
        request: "¿Cuál es el tipo de cambio del euro al real brasileño?",
        arguments: { amount: 1, from: "EUR", to: ["BRL"] },
      },
    ],
    reconcile: reconcileCurrencyCall,
    async execute({ amount, from, to }, { fetch }) {
      const wanted = to.filter((code) => code !== from);
      const key = `${from}:${[...wanted].sort().join(",")}`;
      let entry = cache.get(key);
      if (!entry || Date.now() - entry.at > config.rateCacheMs) {
        const url = new URL("latest", config.baseUrl.endsWith("/") ? config.baseUrl : `${config.baseUrl}/`);
        url.searchParams.set("from", from);
        if (wanted.length) url.searchParams.set("to", wanted.join(","));
        const body = await getJson(url, {
          fetch,
          allowPrivate: config.allowPrivate,
          schema: frankfurterSchema,
          service: "The exchange-rate service",
          timeoutMs: config.timeoutMs,
        });
        entry = { at: Date.now(), rates: body.rates, date: body.date };
        cache.set(key, entry);
      }
      const rates: Record<string, number> = {};
      const converted: Record<string, number> = {};
      for (const code of to) {
        const rate = code === from ? 1 : entry.rates[code];
        if (rate === undefined) throw new ToolError("TOOL_FAILED", `No ECB reference rate for ${code}.`);
        rates[code] = rate;
        converted[code] = Math.round(amount * rate * 100) / 100;
      }
      return { amount, from, date: entry.date, converted, rates, source: "European Central Bank reference rates" };
    },
  });
}

export const currencyPlugin = plugin({
  name: "currency",
  version: "1.0.0",
  configSchema: currencyConfigSchema,
  tools: (config) => [currencyTool(config)],
});
