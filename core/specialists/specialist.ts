import { readFileSync } from "node:fs";
import { z } from "zod";
import { toolResultInstruction } from "../agent/build-messages.ts";
import { exampleSchema } from "../safety/intent-classifier.ts";

/** How strictly the safety guard reads a specialist's turns (the guard's own thresholds when unset). */
export interface SpecialistGuardPolicy {
  /** Harmful share at or above which a message (input) or an answer's sentence (output) is blocked. */
  thresholds?: Partial<Record<"input" | "output", number>>;
  /** Whether the answer is checked sentence by sentence (default: as the agent is set up). */
  guardOutput?: boolean;
}

/**
 * A specialist agent (the seed's phase 3): a configuration of the one agent, not another process.
 * The intent router picks one per message; its prompt, its tools and its guard policy apply to the turn.
 */
export interface Specialist {
  /** Lower case letters, digits and underscores: it names the `consult_<name>` tool too. */
  name: string;
  /** What it knows, in a few words (said in the consultation tool's description). */
  description: string;
  systemPrompt: string;
  /**
   * The tools it is offered, by name (unset: every registered tool). Names not registered are ignored.
   * A specialist with a list of its own may consult others (their tools are then one question away).
   */
  tools?: readonly string[];
  guard?: SpecialistGuardPolicy;
  /** The specialists it may ask a question of during a turn (unset: every other one but the general). */
  mayConsult?: readonly string[];
}

/** The specialist a message goes to when no other is near enough: it has every tool. */
export const generalSpecialist = "general";

function prompt(role: string): string {
  return `${role} Answer in one or two sentences. ${toolResultInstruction}`;
}

/**
 * The four specialists the platform ships (travel, finance, tech, general): a prompt each, every tool.
 * Given only the tools of its field, the travel specialist lost the calculator a request also asked
 * for ("the weather in Oslo and 15% of 320"): on the tool-use suite the 0.5B model chose the right
 * tools 0.855 of the time, against 0.924 with every tool (the tool router already offers it the two
 * that fit the message). A specialist of one's own may still be given its `tools`, and consult others.
 */
export const builtinSpecialists: readonly Specialist[] = [
  {
    name: "travel",
    description: "trips, destinations, weather and forecasts, local money and time",
    systemPrompt: prompt(
      "You are a helpful travel assistant: destinations, weather, transport and what a trip costs in local money.",
    ),
  },
  {
    name: "finance",
    description: "exchange rates, prices of shares and cryptocurrencies, interest and budgets",
    systemPrompt: prompt(
      "You are a helpful finance assistant: exchange rates, market prices, interest and budgets. Prices change: give the figure a tool returns and never invent one. You do not give personal investment advice.",
    ),
  },
  {
    name: "tech",
    description: "programming, computers, networks and software",
    systemPrompt: prompt(
      "You are a helpful technical assistant: programming, computers, networks and software. Give the command or the code when it helps.",
    ),
  },
  {
    name: generalSpecialist,
    description: "everything else",
    systemPrompt: prompt("You are a helpful assistant."),
  },
];

const specialistSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, "lower case letters, digits and underscores"),
    description: z.string().min(1).max(200),
    systemPrompt: z.string().min(1).max(4_000),
    tools: z.array(z.string().min(1)).optional(),
    guard: z
      .object({
        thresholds: z
          .object({ input: z.number().min(0).max(1).optional(), output: z.number().min(0).max(1).optional() })
          .strict()
          .optional(),
        guardOutput: z.boolean().optional(),
      })
      .strict()
      .optional(),
    mayConsult: z.array(z.string()).optional(),
  })
  .strict();

const examplesSchema = z.array(exampleSchema.strict());

/** What a specialists file holds: the specialists and, optionally, examples of messages for each. */
export interface SpecialistsConfig {
  specialists: Specialist[];
  examples?: Array<{ text: string; label: string; language: "en" | "es" }>;
}

/**
 * Reads and checks a specialists file (RTA_SPECIALISTS): `{"specialists": [...], "examples": [...]}`.
 * One must be named "general" (where unrouted messages go); consultations name known specialists.
 */
export function readSpecialistsFile(file: string): SpecialistsConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read the specialists file ${file}: ${(error as Error).message}`);
  }
  const parsed = z
    .object({ specialists: z.array(specialistSchema).min(1), examples: examplesSchema.optional() })
    .strict()
    .safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join(".")}: ${issue.message}`);
  }
  checkSpecialists(parsed.data.specialists);
  return parsed.data;
}

/** Names unique, a general one present, consultations naming known specialists. */
export function checkSpecialists(specialists: readonly Specialist[]): void {
  const names = new Set<string>();
  for (const specialist of specialists) {
    if (names.has(specialist.name)) throw new Error(`Two specialists are named "${specialist.name}".`);
    names.add(specialist.name);
  }
  if (!names.has(generalSpecialist)) throw new Error(`One specialist must be named "${generalSpecialist}".`);
  for (const specialist of specialists)
    for (const other of specialist.mayConsult ?? [])
      if (!names.has(other) || other === specialist.name)
        throw new Error(`Specialist "${specialist.name}" may consult "${other}", which is not another specialist.`);
}
