import { describe, expect, it } from "vitest";
import { calculate } from "./evaluate-expression.ts";
import { reconcileExpression, writtenExpressions } from "./reconcile-expression.ts";

const reconciled = (userText: string, expression: string) =>
  reconcileExpression({ expression }, { userText })?.expression as string;

describe("reconcileExpression", () => {
  it("puts back the parentheses the user wrote, and the rest of an expression cut short", () => {
    expect(reconciled("Calcula (150 - 30) / 4 + 7", "150 - 30 / 4 + 7")).toBe("(150 - 30) / 4 + 7");
    expect(reconciled("Calcula (150 - 30) / 4 + 7", "150 - 30")).toBe("(150 - 30) / 4 + 7");
    expect(calculate(reconciled("Compute 3 × (4 + 5)", "3 * 4 + 5")).result).toBe(27);
  });

  it("leaves a right expression, one the user did not write, and one of two written expressions alone", () => {
    expect(reconciled("What is 2 + 3? And 4 * 5?", "4 * 5")).toBe("4 * 5");
    expect(reconciled("What is 18% of 250?", "18/100 * 250")).toBe("18/100 * 250");
    expect(reconciled("How much is 1,234 plus 5,678?", "1234 + 5678")).toBe("1234 + 5678");
    // A bare number is in too many expressions to choose one.
    expect(reconciled("What is (15 + 5) * 2, and is 15 prime?", "15")).toBe("15");
    expect(reconcileExpression({ expression: "sqrt(16)" }, { userText: "sqrt(16) + 2 * 3" })).toEqual({
      expression: "sqrt(16)",
    });
  });

  it("gives a bare number the root, square or cube the user asked for, in English and Spanish", () => {
    expect(reconciled("Dime el pronóstico para Salamanca y la raíz cuadrada de 841", "841")).toBe("sqrt(841)");
    expect(calculate(reconciled("¿Cuál es la raíz cuadrada de 1.296?", "1.296"), "es").result).toBe(36);
    expect(reconciled("What is 12 squared?", "12")).toBe("12^2");
    expect(reconciled("¿Cuánto es 7 al cubo?", "7")).toBe("7^3");
    expect(reconciled("What's the cube root of 27?", "27")).toBe("cbrt(27)");
    expect(reconciled("What's the square root of 81?", "9")).toBe("9");
  });

  it("drops a calculation in a conversation that writes no number, and keeps one with numbers in words", () => {
    expect(
      reconcileExpression({ expression: "2 + 3" }, { userText: "Explain what a prime number is, like I'm 10." }),
    ).toEqual({
      expression: "2 + 3",
    });
    expect(reconcileExpression({ expression: "2 + 3" }, { userText: "Explain what a prime number is" })).toBeNull();
    expect(reconcileExpression({ expression: "2 + 3" }, { userText: "¿Qué es un número primo?" })).toBeNull();
    // Quantities asked for with the numbers left unwritten keep their calculation.
    expect(reconciled("How many seconds are in a day?", "24 * 60 * 60")).toBe("24 * 60 * 60");
    expect(reconciled("What is the speed of light squared?", "299792458^2")).toBe("299792458^2");
    expect(reconciled("¿Cuántas horas tiene una semana?", "24 * 7")).toBe("24 * 7");
    expect(reconciled("What is three times seven?", "3 * 7")).toBe("3 * 7");
    expect(
      reconcileExpression(
        { expression: "2500 * 0.12" },
        { userText: "¿y con el doce?", previousUserText: "8% de 2.500" },
      ),
    ).toEqual({ expression: "2500 * 0.12" });
    expect(
      reconcileExpression({ expression: "1.08 * x" }, { userText: "Double it", previousUserText: "Price is 40" }),
    ).toEqual({ expression: "1.08 * x" });
  });

  it("ends a written expression at a comma before a space, keeping thousands and decimal commas", () => {
    expect(writtenExpressions("Between 2020 and 2024, (3+4)*2 and 10 - 2 - 1.")).toEqual(["(3+4)*2", "10 - 2 - 1"]);
    expect(writtenExpressions("1,234 + 3,5 = ?")).toEqual(["1,234 + 3,5"]);
  });

  it("reads a hostile 64 KB message in linear time", () => {
    const hostile = "(".repeat(32_000) + " 1".repeat(16_000);
    expect(reconciled(hostile, "1 + 1")).toBe("1 + 1");
    // A bare number reaches the spoken operations: a 64 KB run of digits is read from its start only.
    expect(reconciled(`${"1".repeat(64_000)} apples`, "1")).toBe("1");
  });
});
