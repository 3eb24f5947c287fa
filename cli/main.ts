import { parseArgs } from "node:util";

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
  const { serve } = await import("./commands/serve.ts");
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
  const { ask } = await import("./commands/ask.ts");
  return ask(positionals.join(" "), {
    ...(values.reasoning ? { reasoning: values.reasoning } : {}),
    ...(values.specialist ? { specialist: values.specialist } : {}),
  });
}

async function chatCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {} });
  const { chat } = await import("./commands/chat.ts");
  return chat();
}

interface Command {
  run: (args: string[]) => Promise<number>;
  usage?: string;
}

/**
 * Every command, loaded when it is run: a command imports only what it uses (`rta --help` and
 * `rta ask` do not load the server, the eval suites or the load generator).
 */
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => ({ run: serveCommand }),
  chat: async () => ({ run: chatCommand }),
  ask: async () => ({ run: askCommand }),
  eval: async () => {
    const { evalCommand, evalUsage } = await import("./commands/eval.ts");
    return { run: evalCommand, usage: evalUsage };
  },
  worker: async () => {
    const { workerCommand, workerUsage } = await import("./commands/worker.ts");
    return { run: workerCommand, usage: workerUsage };
  },
  forecast: async () => {
    const { forecastCommand, forecastUsage } = await import("./commands/forecast.ts");
    return { run: forecastCommand, usage: forecastUsage };
  },
  bench: async () => {
    const { benchCommand, benchUsage } = await import("./commands/bench.ts");
    return { run: benchCommand, usage: benchUsage };
  },
  load: async () => {
    const { loadCommand, loadUsage } = await import("./commands/load.ts");
    return { run: loadCommand, usage: loadUsage };
  },
  providers: async () => {
    const { providersCommand, providersUsage } = await import("./commands/providers.ts");
    return { run: providersCommand, usage: providersUsage };
  },
  models: async () => {
    const { modelsCommand, modelsUsage } = await import("./commands/models.ts");
    return { run: modelsCommand, usage: modelsUsage };
  },
  tools: async () => {
    const { toolsCommand, toolsUsage } = await import("./commands/tools.ts");
    return { run: toolsCommand, usage: toolsUsage };
  },
  plugin: async () => {
    const { pluginNewCommand, pluginNewUsage } = await import("./commands/plugin-new.ts");
    return { run: pluginNewCommand, usage: pluginNewUsage };
  },
  keys: async () => {
    const { keysCommand, keysUsage } = await import("./commands/keys.ts");
    return { run: keysCommand, usage: keysUsage };
  },
  db: async () => {
    const { dbCommand, dbUsage } = await import("./commands/db.ts");
    return { run: dbCommand, usage: dbUsage };
  },
};

/** Runs one CLI command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`rta: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  let command: Command;
  try {
    command = await load();
  } catch (error) {
    process.stderr.write(`rta ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
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
