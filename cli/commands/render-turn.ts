import type { AgentEvent } from "realtime-agent";

/** Prints a turn to the terminal as it streams; returns the final event. */
export async function renderTurn(
  events: AsyncIterable<AgentEvent>,
  out: NodeJS.WritableStream,
): Promise<AgentEvent | undefined> {
  let last: AgentEvent | undefined;
  for await (const event of events) {
    last = event;
    switch (event.type) {
      case "text-delta":
        out.write(event.text);
        break;
      case "tool-call":
        out.write(`\x1b[2m→ ${event.name}(${JSON.stringify(event.arguments)})\x1b[0m\n`);
        break;
      case "tool-result":
        out.write(`\x1b[2m← ${event.name}: ${JSON.stringify(event.error ?? event.result)}\x1b[0m\n`);
        break;
      case "provider-retry":
      case "provider-fallback":
      case "provider-skipped":
      case "tool-rounds-exhausted":
        out.write(`\x1b[2m[${event.type}] ${event.message}\x1b[0m\n`);
        break;
      case "specialist":
        out.write(`\x1b[2m[${event.name} specialist]\x1b[0m\n`);
        break;
      case "reasoning-chains":
        for (const chain of event.chains)
          out.write(`\x1b[2m[${chain.kind}] ${chain.answer ?? "(no answer line)"}\x1b[0m\n`);
        break;
      case "turn-finish":
        out.write("\n");
        break;
      case "error":
        out.write(`\nerror ${event.code}: ${event.message}\n`);
        break;
    }
  }
  return last;
}

export function describeFinish(event: AgentEvent | undefined): string {
  if (event?.type !== "turn-finish") return "";
  const timeToFirstToken = event.timings.timeToFirstTokenMs;
  return `time to first token ${timeToFirstToken === undefined ? "-" : `${Math.round(timeToFirstToken)} ms`} · total ${Math.round(event.timings.totalMs)} ms · tokens ${event.usage.inputTokens} in / ${event.usage.outputTokens} out · ${event.provider}/${event.model}${event.confidence !== undefined ? ` · confidence ${event.confidence.toFixed(2)}` : ""}`;
}
