/**
 * Measures the local model's lean towards a call (`callLeaning`, the first token's) on BFCL requests
 * under several system prompts; no calls are sampled. Writes one JSON line per case, to choose the
 * decision prompt and threshold on a development slice and check them on the rest.
 *
 *   node --import tsx evals/suites/bfcl/measure-call-decision.ts --limit 100 --offset 0 --out FILE
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadLocalModel } from "../../../core/models/local/local-model.ts";
import { callLeaning, qwenFormat } from "../../../core/models/local/qwen-format.ts";
import { defaultSystemPrompt } from "../../../core/agent/build-messages.ts";
import type { FormatRun } from "../../../core/models/local/chat-format.ts";
import type { ToolDefinition } from "../../../core/contracts/model.ts";
import { bfclCategories, type BfclCategory, loadBfclCategory } from "../../bfcl/dataset.ts";
import { resolveDatasetsDirectory } from "../../datasets.ts";

const { values } = parseArgs({
  options: {
    limit: { type: "string", default: "100" },
    offset: { type: "string", default: "0" },
    categories: { type: "string", default: bfclCategories.join(",") },
    out: { type: "string", default: "call-decision.jsonl" },
  },
});
const limit = Number(values.limit);
const offset = Number(values.offset);
const loaded = await loadLocalModel({ model: process.env.RTA_LOCAL_MODEL ?? "qwen2.5-coder-0.5b" });
writeFileSync(values.out, "");
/** The system prompts compared: the agent's (as it sends it to an English request), Qwen's own, one that names the choice. */
const systemPrompts: Record<string, string | undefined> = {
  agent: `${defaultSystemPrompt} Always answer in English.`,
  qwen: undefined,
  choice:
    process.env.CHOICE_PROMPT ??
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
    const messages = testCase.messages.map((message) =>
      message.role === "system"
        ? { role: "system" as const, content: message.content }
        : { role: "user" as const, content: message.content },
    );
    const lease = await loaded.acquireSequence();
    try {
      const run = { loaded, sequence: lease.sequence, request: { messages, tools } } as unknown as FormatRun;
      const leanings: Record<string, number> = {};
      for (const [name, system] of Object.entries(systemPrompts)) {
        const prompted =
          system === undefined || messages[0]?.role === "system"
            ? messages
            : [{ role: "system" as const, content: system }, ...messages];
        const tokens = qwenFormat.decisionPrompt(prompted, tools).tokenize(loaded.model.tokenizer);
        leanings[name] = (await callLeaning(run, tokens)).call;
      }
      const line = { id: testCase.id, category, needsCall: testCase.groundTruth.length > 0, ...leanings };
      appendFileSync(values.out, `${JSON.stringify(line)}\n`);
      process.stdout.write(".");
    } finally {
      lease.release();
    }
  }
}
process.stdout.write("\n");
await loaded.dispose();
