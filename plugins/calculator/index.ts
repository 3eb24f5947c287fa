import { z } from "zod";
import { plugin, tool } from "realtime-agent";
import { reconcileExpression } from "./reconcile-expression.ts";

export const calculatorTool = tool({
  name: "calculator",
  description:
    "Calculate the result of an arithmetic expression. Use it for any arithmetic, percentages and unit conversions.",
  inputSchema: z.object({
    expression: z.string().min(1).max(500).describe("The arithmetic expression to evaluate"),
  }),
  outputSchema: z.object({ expression: z.string(), result: z.union([z.number(), z.string()]) }),
  // Off the event loop: one expression can ask for minutes of work or gigabytes (`zeros(1e5, 1e5)`).
  // The timeout includes waiting for a worker, and starting one (tsx and mathjs load in 0.5–2 s).
  worker: {
    module: new URL("./evaluate-expression.ts", import.meta.url),
    exportName: "calculateInWorker",
    maxMemoryMb: 64,
  },
  timeoutMs: 5_000,
  cacheTtlMs: 24 * 60 * 60 * 1000,
  networkHosts: [],
  examples: [
    { request: "What is 3% of 1,200?", arguments: { expression: "3% * 1200" } },
    { request: "How much is (45 + 15) / 4?", arguments: { expression: "(45 + 15) / 4" } },
    { request: "What's 17 times 23?", arguments: { expression: "17 * 23" } },
    { request: "Calculate the square root of 144", arguments: { expression: "sqrt(144)" } },
    { request: "If four people split a 96 dollar bill, how much does each pay?", arguments: { expression: "96 / 4" } },
    { request: "How many minutes are there in 3.5 hours?", arguments: { expression: "3.5 * 60" } },
    { request: "Convert 10 kilometres to miles", arguments: { expression: "10 km to mi" } },
    { request: "What is 2 to the power of 10?", arguments: { expression: "2^10" } },
    { request: "Add a 20% tip to 45", arguments: { expression: "45 * 1.2" } },
    { request: "¿Cuánto es el 15% de 80?", arguments: { expression: "15% * 80" } },
    { request: "¿Cuánto es 250 dividido entre 8?", arguments: { expression: "250 / 8" } },
    { request: "Calcula 12 por 35", arguments: { expression: "12 * 35" } },
    { request: "¿Cuánto es 9 por 6?", arguments: { expression: "9 * 6" } },
    { request: "¿Cuánto son 48 entre 6?", arguments: { expression: "48 / 6" } },
    { request: "¿Cuál es la raíz cuadrada de 625?", arguments: { expression: "sqrt(625)" } },
    { request: "Si pago 1.200 euros al mes, ¿cuánto pago en un año?", arguments: { expression: "1200 * 12" } },
    { request: "¿Cuántos segundos hay en un día?", arguments: { expression: "24 * 60 * 60" } },
    { request: "Suma 348 y 1.275", arguments: { expression: "348 + 1275" } },
    { request: "Convierte 5 millas a kilómetros", arguments: { expression: "5 mi to km" } },
    { request: "¿Cuánto es 7 al cubo?", arguments: { expression: "7^3" } },
  ],
  reconcile: reconcileExpression,
  // Run here only where workers are off (a plugin's contract test): mathjs takes ~1.4 s to import, which
  // every process that registers the tool would otherwise pay at start.
  execute: async ({ expression }, { language }) =>
    (await import("./evaluate-expression.ts")).calculate(expression, language),
});

export const calculatorPlugin = plugin({
  name: "calculator",
  version: "1.0.0",
  tools: [calculatorTool],
});

export default calculatorPlugin;
