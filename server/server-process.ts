import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface ServerProcess {
  url: string;
  wsUrl: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Starts `rta serve --port 0` as its own process and resolves once it prints where it listens. Sessions
 * stay in the process's memory unless `env` or this process's environment names a store (RTA_STORE,
 * DATABASE_URL, RTA_DATA_DIR): `rta load` then measures the server on that store.
 */
export function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(projectRoot, "bin/rta.js"), "serve", "--port", "0"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      RTA_LOG_LEVEL: "warn",
      ...(storeNamed({ ...process.env, ...env }) ? {} : { RTA_STORE: "memory" }),
      // Tests and load runs measure the turn loop: the semantic cache stays off unless asked for.
      RTA_SEMANTIC_CACHE: process.env.RTA_SEMANTIC_CACHE ?? "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1]!;
      resolve({
        url,
        wsUrl: url.replace(/^http/, "ws"),
        child,
        output: () => output,
        stop: () =>
          new Promise((resolveStop) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolveStop(child.exitCode);
            child.once("exit", (code) => resolveStop(code));
            child.kill("SIGTERM");
          }),
      });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

function storeNamed(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.RTA_STORE || env.DATABASE_URL || env.RTA_DATA_DIR);
}
