import { loadExternalPlugins } from "realtime-agent/runtime";
import { randomUUID } from "node:crypto";
import { createRuntime, runtimeConfigFromEnv } from "realtime-agent/runtime";
import { describeFinish, renderTurn } from "./render-turn.ts";

export async function ask(
  question: string,
  options: { reasoning?: "single" | "chains"; specialist?: string } = {},
): Promise<number> {
  const agent = createRuntime(runtimeConfigFromEnv());
  // The model loads beside the embedder rather than after it; a failure is the turn's to report.
  agent.prepare().catch(() => {});
  await loadExternalPlugins(agent.tools, process.env);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  try {
    const last = await renderTurn(
      agent.runTurn({ sessionId: `cli-${randomUUID()}`, text: question, signal: controller.signal, ...options }),
      process.stdout,
    );
    const summary = describeFinish(last);
    if (summary) process.stderr.write(`${summary}\n`);
    return last?.type === "turn-finish" ? 0 : 1;
  } finally {
    await agent.close();
  }
}
