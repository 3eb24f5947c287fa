import { loadExternalPlugins } from "realtime-agent/runtime";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { createRuntime, runtimeConfigFromEnv } from "realtime-agent/runtime";
import { describeFinish, renderTurn } from "./render-turn.ts";

export async function chat(): Promise<number> {
  const agent = createRuntime(runtimeConfigFromEnv());
  await loadExternalPlugins(agent.tools, process.env);
  const sessionId = `cli-${randomUUID()}`;
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  process.stdout.write("realtime-agent chat — Ctrl+C stops an answer, /exit or Ctrl+D quits.\n");
  let current: AbortController | undefined;
  terminal.on("SIGINT", () => {
    if (current) current.abort();
    else terminal.close();
  });
  try {
    for (;;) {
      let line: string;
      try {
        line = await terminal.question("\nyou › ");
      } catch {
        break; // input closed
      }
      if (line.trim() === "/exit") break;
      if (line.trim() === "") continue;
      current = new AbortController();
      process.stdout.write("agent › ");
      const last = await renderTurn(agent.runTurn({ sessionId, text: line, signal: current.signal }), process.stdout);
      current = undefined;
      const summary = describeFinish(last);
      if (summary) process.stdout.write(`\x1b[2m${summary}\x1b[0m\n`);
    }
  } finally {
    terminal.close();
    await agent.close();
  }
  return 0;
}
