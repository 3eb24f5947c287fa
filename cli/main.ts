import { parseArgs } from "node:util";
import { ask } from "./commands/ask.ts";
import { benchCommand, benchUsage } from "./commands/bench.ts";
import { chat } from "./commands/chat.ts";
import { dbCommand, dbUsage } from "./commands/db.ts";
import { evalCommand, evalUsage } from "./commands/eval.ts";
import { forecastCommand, forecastUsage } from "./commands/forecast.ts";
import { keysCommand, keysUsage } from "./commands/keys.ts";
import { loadCommand, loadUsage } from "./commands/load.ts";
import { modelsCommand, modelsUsage } from "./commands/models.ts";
import { pluginNewCommand, pluginNewUsage } from "./commands/plugin-new.ts";
import { providersCommand, providersUsage } from "./commands/providers.ts";
import { serve } from "./commands/serve.ts";
import { toolsCommand, toolsUsage } from "./commands/tools.ts";
import { workerCommand, workerUsage } from "./commands/worker.ts";

const usage = `rta — realtime-agent

Usage:
  rta serve [--port N] [--host H]   start the HTTP + WebSocket server (PORT, HOST env too; default 3000, 127.0.0.1)
  rta chat                          chat in the terminal; answers stream as they are generated
  rta ask "<question>"              one question: the streamed answer, then time to first token, total time, tokens
      [--reasoning chains] [--specialist NAME]   reasoning chains; a specialist (travel, finance, tech, general)
  rta eval <suite> [options]        run an eval suite; rta eval --help for the options
  rta worker                        run eval cases from the queue in Redis (rta eval --workers); rta worker --help
  rta forecast --prometheus URL     serve the forecast of open sessions for the autoscaler; rta forecast --help
  rta bench [--quick] [--suite S]   in-process latency benchmarks; rta bench --help
  rta load [--clients N] ...        WebSocket load test against a synthetic-model server; rta load --help
  rta providers [--json]            configured model providers and whether each answers
  rta models [--measure [name]]     named local models: size, present or not, measured speed; rta models --help
  rta tools [--json]                registered tools with their schemas, timeouts and cache TTLs
  rta plugin new <name> [--dir D]   scaffold a plugin with a passing contract test
  rta keys new --id NAME            a new API key for RTA_API_KEYS_FILE (--scopes, --file)
  rta db status|migrate|cleanup     the session database's migrations and retention; rta db --help
  rta help                          this text
`;

async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: "string" }, host: { type: "string" } } });
  return serve({
    port: values.port ?? process.env.PORT ?? "3000",
    host: values.host ?? process.env.HOST ?? "127.0.0.1",
  });
}

async function askCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { reasoning: { type: "string" }, specialist: { type: "string" } },
  });
  if (positionals.length === 0) {
    process.stderr.write('rta ask: give a question, e.g. rta ask "What is 12.5% of 3,480?"\n');
    return 2;
  }
  if (values.reasoning !== undefined && values.reasoning !== "chains" && values.reasoning !== "single") {
    process.stderr.write("rta ask: --reasoning is chains or single\n");
    return 2;
  }
  return ask(positionals.join(" "), {
    ...(values.reasoning ? { reasoning: values.reasoning } : {}),
    ...(values.specialist ? { specialist: values.specialist } : {}),
  });
}

async function chatCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {} });
  return chat();
}

/** Every command with its own usage text (shown for `rta <command> --help`). */
const commands: Record<string, { run: (args: string[]) => Promise<number>; usage?: string }> = {
  serve: { run: serveCommand },
  chat: { run: chatCommand },
  ask: { run: askCommand },
  eval: { run: evalCommand, usage: evalUsage },
  worker: { run: workerCommand, usage: workerUsage },
  forecast: { run: forecastCommand, usage: forecastUsage },
  bench: { run: benchCommand, usage: benchUsage },
  load: { run: loadCommand, usage: loadUsage },
  providers: { run: providersCommand, usage: providersUsage },
  models: { run: modelsCommand, usage: modelsUsage },
  tools: { run: toolsCommand, usage: toolsUsage },
  plugin: { run: pluginNewCommand, usage: pluginNewUsage },
  keys: { run: keysCommand, usage: keysUsage },
  db: { run: dbCommand, usage: dbUsage },
};

/** Runs one CLI command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`rta: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  if (command.usage && (rest.includes("--help") || rest.includes("-h"))) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    process.stderr.write(`rta ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
