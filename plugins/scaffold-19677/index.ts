import { z } from "zod";
import { plugin, tool } from "realtime-agent";

/** scaffold-19677: describe what the plugin offers. */
export const scaffold19677Plugin = plugin({
  name: "scaffold-19677",
  version: "0.1.0",
  configSchema: z.object({
    greeting: z.string().default("Hello"),
  }),
  tools: (config) => [
    tool({
      name: "scaffold_19677",
      description: "Greets a person by name. Replace this with what your tool does; models pick tools by it.",
      inputSchema: z.object({ name: z.string().min(1).describe("Who to greet") }),
      outputSchema: z.object({ message: z.string() }),
      timeoutMs: 2_000,
      cacheTtlMs: 0,
      networkHosts: [],
      examples: [{ request: "Say hello to Ada", arguments: { name: "Ada" } }],
      execute: ({ name: person }) => ({ message: `${config.greeting}, ${person}!` }),
    }),
  ],
});

export default scaffold19677Plugin;
