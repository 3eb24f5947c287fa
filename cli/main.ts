import { parseArgs } from "node:util";
import { ask } from "./commands/ask.ts";
import { chat } from "./commands/chat.ts";
import { evalCommand, evalUsage } from "./commands/eval.ts";
import { benchCommand, benchUsage } from "./commands/bench.ts";
import { loadCommand, loadUsage } from "./commands/load.ts";
import { providersCommand, providersUsage } from "./commands/providers.ts";
import { toolsCommand, toolsUsage } from "./commands/tools.ts";
import { pluginNewCommand, pluginNewUsage } from "./commands/plugin-new.ts";
import { serve } from "./commands/serve.ts";

const usage = `rta — realtime-agent

Usage:
  rta serve [--port N] [--host H]   start the HTTP + WebSocket server (PORT, HOST env too; default 3000, 127.0.0.1)
  rta chat                          chat in the terminal; answers stream as they are generated
  rta ask "<question>"              one question: the streamed answer, then time to first token, total time, tokens
  rta eval <suite> [options]        run an eval suite; rta eval --help for the options
  rta bench [--quick] [--suite S]   in-process latency benchmarks; rta bench --help
  rta load [--clients N] ...        WebSocket load test against a synthetic-model server; rta load --help
  rta providers [--json]            configured model providers and whether each answers
  rta tools [--json]                registered tools with their schemas, timeouts and cache TTLs
  rta plugin new <name> [--dir D]   scaffold a plugin with a passing contract test
  rta help                          this text
`;

/** Runs one CLI command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "serve": {
        const { values } = parseArgs({ args: rest, options: { port: { type: "string" }, host: { type: "string" } } });
        return await serve({ port: values.port ?? process.env.PORT ?? "3000", host: values.host ?? process.env.HOST ?? "127.0.0.1" });
      }
      case "chat":
        parseArgs({ args: rest, options: {} });
        return await chat();
      case "ask": {
        const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
        if (positionals.length === 0) {
          process.stderr.write('rta ask: give a question, e.g. rta ask "What is 12.5% of 3,480?"\n');
          return 2;
        }
        return await ask(positionals.join(" "));
      }
      case "eval":
        if (rest.includes("--help") || rest.includes("-h")) {
          process.stdout.write(`${evalUsage}\n`);
          return 0;
        }
        return await evalCommand(rest);
      case "bench":
        if (rest.includes("--help")) { process.stdout.write(`${benchUsage}\n`); return 0; }
        return await benchCommand(rest);
      case "load":
        if (rest.includes("--help")) { process.stdout.write(`${loadUsage}\n`); return 0; }
        return await loadCommand(rest);
      case "providers":
        if (rest.includes("--help")) { process.stdout.write(`${providersUsage}\n`); return 0; }
        return await providersCommand(rest);
      case "tools":
        if (rest.includes("--help")) { process.stdout.write(`${toolsUsage}\n`); return 0; }
        return await toolsCommand(rest);
      case "plugin":
        if (rest.includes("--help")) { process.stdout.write(`${pluginNewUsage}\n`); return 0; }
        return await pluginNewCommand(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(usage);
        return 0;
      default:
        process.stderr.write(`rta: unknown command "${command}"\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    process.stderr.write(`rta ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
