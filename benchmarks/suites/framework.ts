import { z } from "zod";
import { Agent, tool, silentLogger, executeToolCall, ToolRegistry } from "realtime-agent";
import { SyntheticModel } from "realtime-agent";
import { calculatorPlugin } from "../../plugins/calculator/index.ts";
import { calculate } from "../../plugins/calculator/evaluate-expression.ts";
import { parseServerFrame } from "realtime-agent/client";
import { frameOf, parseClientFrame } from "../../server/protocol.ts";
import type { BenchmarkDefinition } from "../bench-types.ts";

const echo = tool({
  name: "echo",
  description: "Echoes its input.",
  inputSchema: z.object({ value: z.string() }),
  execute: ({ value }) => value,
});
const echoTools = () => new ToolRegistry().register({ name: "bench-tools", version: "1.0.0", tools: [echo] });

async function drain(events: AsyncIterable<unknown>): Promise<void> {
  for await (const _event of events) {
    /* consume */
  }
}

/** An agent whose zero-latency model answers every request the same way, tools included. */
function agentWith(respond: ConstructorParameters<typeof SyntheticModel>[0]["respond"]): Agent {
  return new Agent({ model: new SyntheticModel({ respond }), tools: echoTools() });
}

let session = 0;
const nextSession = () => `bench-${session++ % 1000}`;

/** Per-turn framework cost with a zero-latency scripted model: everything but the model's own time. */
export function frameworkBenchmarks(): BenchmarkDefinition[] {
  const textOnly = agentWith(() => ({ text: ["Hello"], usage: { inputTokens: 1, outputTokens: 1 } }));
  const oneTool = agentWith((request) =>
    request.messages.at(-1)?.role === "tool"
      ? { text: ["done"], usage: { inputTokens: 1, outputTokens: 1 } }
      : { toolCalls: [{ name: "echo", arguments: { value: "x" } }], usage: { inputTokens: 1, outputTokens: 1 } },
  );
  const threeTools = agentWith((request) =>
    request.messages.at(-1)?.role === "tool"
      ? { text: ["done"], usage: { inputTokens: 1, outputTokens: 1 } }
      : {
          toolCalls: ["a", "b", "c"].map((value) => ({ name: "echo", arguments: { value } })),
          usage: { inputTokens: 1, outputTokens: 1 },
        },
  );
  const fiftyTokens = Array.from({ length: 50 }, (_, index) => `t${index} `);
  const streamed = agentWith(() => ({ text: fiftyTokens, usage: { inputTokens: 1, outputTokens: 50 } }));
  const fiveHundred = Array.from({ length: 500 }, (_, index) => `t${index} `);
  const longStream = agentWith(() => ({ text: fiveHundred, usage: { inputTokens: 1, outputTokens: 500 } }));

  const registry = new ToolRegistry()
    .register(calculatorPlugin)
    .register({ name: "bench-tools", version: "1.0.0", tools: [echo] });
  const dispatchOptions = { registry, sessionId: "bench", signal: new AbortController().signal, logger: silentLogger };
  const event = {
    type: "text-delta" as const,
    turnId: "1f0c9d6e-0000-4000-8000-000000000000",
    text: "token ",
    segment: 0,
  };
  const clientFrame = JSON.stringify({ type: "user_message", content: { text: "What is 12.5% of 3,480?" } });
  const chunkFrame = JSON.stringify(frameOf("session-1", 42, event));

  return [
    {
      name: "turn.text_only",
      unit: "ms/turn",
      group: "framework",
      run: () => drain(textOnly.runTurn({ sessionId: nextSession(), text: "hi" })),
    },
    {
      name: "turn.one_tool_call",
      unit: "ms/turn",
      group: "framework",
      run: () => drain(oneTool.runTurn({ sessionId: nextSession(), text: "hi" })),
    },
    {
      name: "turn.three_parallel_tools",
      unit: "ms/turn",
      group: "framework",
      run: () => drain(threeTools.runTurn({ sessionId: nextSession(), text: "hi" })),
    },
    {
      name: "turn.stream_50_tokens",
      unit: "ms/turn",
      group: "framework",
      run: () => drain(streamed.runTurn({ sessionId: nextSession(), text: "hi" })),
    },
    {
      name: "turn.stream_500_tokens",
      unit: "ms/turn",
      group: "framework",
      run: () => drain(longStream.runTurn({ sessionId: nextSession(), text: "hi" })),
    },
    {
      name: "tools.registry_lookup",
      unit: "ms/op",
      group: "tools",
      run: () => {
        if (!registry.get("calculator")) throw new Error("missing");
      },
    },
    {
      name: "tools.dispatch_echo",
      unit: "ms/call",
      group: "tools",
      run: () =>
        executeToolCall({ callId: "c", name: "echo", arguments: { value: "x" } }, dispatchOptions).then(
          () => undefined,
        ),
    },
    {
      name: "tools.calculator",
      unit: "ms/call",
      group: "tools",
      run: () => {
        calculate("12.5% of 3,480");
      },
    },
    {
      // The same expression as a user's call runs it: validated, sent to a worker thread and back.
      name: "tools.calculator_call_in_worker",
      unit: "ms/call",
      group: "tools",
      run: () =>
        executeToolCall(
          { callId: "c", name: "calculator", arguments: { expression: "12.5% of 3,480" } },
          dispatchOptions,
        ).then((outcome) => {
          if (!outcome.ok) throw outcome.error;
        }),
    },
    {
      name: "ws.encode_chunk_frame",
      unit: "ms/frame",
      group: "protocol",
      run: () => {
        JSON.stringify(frameOf("session-1", 42, event));
      },
    },
    {
      name: "ws.decode_client_frame",
      unit: "ms/frame",
      group: "protocol",
      run: () => {
        if (!parseClientFrame(clientFrame).ok) throw new Error("bad");
      },
    },
    {
      name: "ws.decode_server_frame",
      unit: "ms/frame",
      group: "protocol",
      run: () => {
        if (parseServerFrame(chunkFrame).type !== "agent_response_chunk") throw new Error("bad");
      },
    },
  ];
}
