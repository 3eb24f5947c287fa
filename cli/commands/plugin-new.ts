import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export const pluginNewUsage = `rta plugin new <name> [--dir DIR]
  Scaffolds a plugin (kebab-case name) with one tool and a passing test that runs the plugin
  contract: DIR/<name>/index.ts and DIR/<name>/<name>.test.ts (default DIR: plugins/).`;

/** Writes a new plugin with one tool and its contract test; refuses to overwrite anything. */
export async function pluginNewCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { dir: { type: "string" } } });
  const [subcommand, name] = positionals;
  if (subcommand !== "new" || !name) {
    process.stderr.write(`${pluginNewUsage}\n`);
    return 2;
  }
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(name)) {
    process.stderr.write(`Plugin names are kebab-case: a-z, 0-9 and -, starting with a letter ("${name}" is not).\n`);
    return 2;
  }
  const directory = resolve(values.dir ?? join(projectRoot, "plugins"), name);
  if (existsSync(directory)) {
    process.stderr.write(`${directory} already exists; nothing was written.\n`);
    return 1;
  }
  // Inside this project the package resolves to itself (package.json "exports"); outside, it is a dependency.
  const spec = "realtime-agent";
  const contract = "realtime-agent/testing/contracts";
  const toolName = name.replace(/-/g, "_");
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, "index.ts"),
    `import { z } from "zod";
import { plugin, tool } from "${spec}";

/** ${name}: describe what the plugin offers. */
export const ${camel(name)}Plugin = plugin({
  name: "${name}",
  version: "0.1.0",
  configSchema: z.object({
    greeting: z.string().default("Hello"),
  }),
  tools: (config) => [
    tool({
      name: "${toolName}",
      description: "Greets a person by name. Replace this with what your tool does; models pick tools by it.",
      inputSchema: z.object({ name: z.string().min(1).describe("Who to greet") }),
      outputSchema: z.object({ message: z.string() }),
      timeoutMs: 2_000,
      cacheTtlMs: 0,
      networkHosts: [],
      examples: [{ request: "Say hello to Ada", arguments: { name: "Ada" } }],
      execute: ({ name: person }) => ({ message: \`\${config.greeting}, \${person}!\` }),
    }),
  ],
});

export default ${camel(name)}Plugin;
`,
  );
  writeFileSync(
    join(directory, `${name}.test.ts`),
    `import { expect } from "vitest";
import { runPluginContract } from "${contract}";
import { ${camel(name)}Plugin } from "./index.ts";

runPluginContract(${camel(name)}Plugin, {
  config: { greeting: "Hi" },
  calls: [{ tool: "${toolName}", arguments: { name: "Ada" }, check: (result) => expect(result).toEqual({ message: "Hi, Ada!" }) }],
  // For a tool that waits on I/O, give a call that never finishes by itself (a loopback server that
  // never answers): the contract cancels the turn and checks that the tool stops.
  cancellableCall: { skip: "the greeting is computed at once: there is nothing to cancel" },
});
`,
  );
  process.stdout.write(
    `Created ${relative(process.cwd(), directory) || directory}/index.ts and ${name}.test.ts\nRun its test: npx vitest run ${relative(process.cwd(), join(directory, `${name}.test.ts`))}\n`,
  );
  return 0;
}

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
