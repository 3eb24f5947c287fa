import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where public datasets come from, for the message shown when they are missing. */
export const datasetSources = {
  bfcl: {
    folder: "bfcl",
    repository: "https://github.com/ShishirPatil/gorilla",
    path: "berkeley-function-call-leaderboard/bfcl_eval/data",
    commit: "6ea57973c7a6",
    license: "Apache-2.0",
  },
  xstest: {
    folder: "xstest",
    repository: "https://github.com/paul-rottger/exaggerated-safety",
    path: "xstest_prompts.csv",
    commit: "d7bb5bd738c1",
    license: "CC-BY-4.0",
  },
} as const;

export type DatasetName = keyof typeof datasetSources;

/** The datasets folder: --datasets, else RTA_DATASETS_DIR, else ../shared/datasets beside the project. */
export function resolveDatasetsDirectory(explicit?: string): string | undefined {
  if (explicit) return resolve(explicit);
  if (process.env.RTA_DATASETS_DIR) return resolve(process.env.RTA_DATASETS_DIR);
  const besideProject = join(projectRoot, "..", "shared", "datasets");
  return existsSync(besideProject) ? besideProject : undefined;
}

export class MissingDatasetError extends Error {
  override name = "MissingDatasetError";
}

/** The folder of one dataset, or an error that says what is needed, where it comes from and how to point at it. */
export function datasetDirectory(datasetsDirectory: string | undefined, name: DatasetName): string {
  const source = datasetSources[name];
  const folder = datasetsDirectory ? join(datasetsDirectory, source.folder) : undefined;
  if (folder && existsSync(folder)) return folder;
  throw new MissingDatasetError(
    `This suite needs the ${name} dataset (${source.license}) from ${source.repository}, ${source.path} at commit ${source.commit}. ` +
      `${folder ? `It is not at ${folder}. ` : "No datasets folder was found. "}` +
      `Put it in <datasets>/${source.folder}/ and pass --datasets <datasets> or set RTA_DATASETS_DIR.`,
  );
}
