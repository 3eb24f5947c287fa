/**
 * Measures the local model's lean towards a call (its first token's) on BFCL requests under several
 * system prompts; no calls are sampled. Writes one JSON line per case, to choose the decision prompt and
 * threshold on a development slice and check them on the rest (qwen-format.ts, `likelyCallThreshold`).
 * Each line also carries the tool predictor's reading (best tool score, lead over the no-tool examples,
 * decision), to weigh the two signals together.
 *
 *   node --import tsx evals/suites/bfcl/measure-call-decision.ts --limit 50 --offset 0 --out FILE
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  type ChatMessage,
  defaultSystemPrompt,
  LocalMiniLmEmbedder,
  LocalModelProvider,
  type ToolDefinition,
  ToolPredictor,
} from "realtime-agent";
import { bfclCategories, type BfclCategory, loadBfclCategory } from "../../bfcl/dataset.ts";
import { resolveDatasetsDirectory } from "../../datasets.ts";

const { values } = parseArgs({
  options: {
    limit: { type: "string", default: "100" },
    offset: { type: "string", default: "0" },
    categories: { type: "string", default: bfclCategories.join(",") },
    out: { type: "string", default: "call-decision.jsonl" },
    prompts: { type: "string", default: "agent,qwen,choice" },
  },
});
const limit = Number(values.limit);
const offset = Number(values.offset);
const chosenPrompts = new Set(values.prompts.split(","));
const predictor = new ToolPredictor({ embedder: new LocalMiniLmEmbedder() });
const provider = new LocalModelProvider({ model: process.env.RTA_LOCAL_MODEL ?? "qwen2.5-coder-0.5b" });
writeFileSync(values.out, "");
/** The system prompts compared: the agent's (as it sends it to an English request), Qwen's own, one that names the choice. */
const systemPrompts: Record<string, string | undefined> = {
  agent: `${defaultSystemPrompt} Always answer in English.`,
  qwen: undefined,
  choice:
    "You are a helpful assistant. When one of the functions can do what the user asks, call it; otherwise answer yourself.",
};

for (const category of values.categories.split(",") as BfclCategory[]) {
  const cases = (await loadBfclCategory(resolveDatasetsDirectory(), category, offset + limit)).slice(offset);
  for (const testCase of cases) {
    const tools: ToolDefinition[] = testCase.functions.map((fn) => ({
      name: fn.name,
      description: fn.description,
      inputSchema: fn.parameters,
    }));
    const messages: ChatMessage[] = testCase.messages.map((message) =>
      message.role === "system"
        ? { role: "system", content: message.content }
        : { role: "user", content: message.content },
    );
    const leanings: Record<string, number> = {};
    const prediction = await predictor.predict(
      testCase.messages
        .filter((message) => message.role === "user")
        .map((message) => message.content)
        .join("\n"),
      tools,
    );
    const best = prediction.tools[0]?.score ?? Math.max(...Object.values(prediction.scores));
    const predicted = { best, lead: best - prediction.noToolScore, decision: prediction.decision };
    for (const [name, system] of Object.entries(systemPrompts)) {
      if (!chosenPrompts.has(name)) continue;
      const prompted: ChatMessage[] =
        system === undefined || messages[0]?.role === "system"
          ? messages
          : [{ role: "system", content: system }, ...messages];
      leanings[name] = await provider.callLeaning({ messages: prompted, tools });
    }
    appendFileSync(
      values.out,
      `${JSON.stringify({ id: testCase.id, category, needsCall: testCase.groundTruth.length > 0, ...predicted, ...leanings })}\n`,
    );
    process.stdout.write(".");
  }
}
process.stdout.write("\n");
