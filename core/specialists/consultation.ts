import { z } from "zod";
import { ToolError } from "../contracts/errors.ts";
import type { Tool, ToolContext } from "../contracts/tool.ts";
import type { Specialist } from "./specialist.ts";

/** How many consultations a turn may still make (shared by every consultation tool of the turn). */
export interface ConsultationBudget {
  left: number;
}

/** Asks a specialist one question as a turn of its own, with no history, and returns its answer. */
export type AskSpecialist = (specialist: Specialist, question: string, context: ToolContext) => Promise<string>;

/** The tool name a specialist is consulted by. */
export function consultationToolName(specialist: Specialist): string {
  return `consult_${specialist.name}`;
}

/**
 * A specialist offered to another as a tool ("agents as tools"): the consulted one answers with its
 * own prompt and tools, and may not consult further. A turn's consultations share one budget; a call
 * beyond it is refused (TOOL_BUDGET_SPENT) and the model answers from what it has.
 */
export function consultationTool(specialist: Specialist, budget: ConsultationBudget, ask: AskSpecialist): Tool {
  return {
    name: consultationToolName(specialist),
    description: `Ask the ${specialist.name} specialist (${specialist.description}) a question and get its answer.`,
    inputSchema: z.object({ question: z.string().min(1).max(2_000) }),
    inputJsonSchema: {
      type: "object",
      properties: { question: { type: "string", description: `The question for the ${specialist.name} specialist` } },
      required: ["question"],
      additionalProperties: false,
    },
    // A turn of the local model with its own tool round.
    timeoutMs: 120_000,
    idempotent: false,
    async execute(input: { question: string }, context: ToolContext) {
      if (budget.left <= 0)
        throw new ToolError("TOOL_BUDGET_SPENT", "This turn has used all its consultations between specialists.");
      budget.left--;
      return { specialist: specialist.name, answer: await ask(specialist, input.question, context) };
    },
  };
}
