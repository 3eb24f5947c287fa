#!/usr/bin/env node
// Installs kubernetes-validate (Kubernetes' own JSON schemas, from PyPI) into the git-ignored
// .venv-tools, for the test that validates deploy/kubernetes. Every package is hash-pinned
// (scripts/manifest-validator-requirements.txt, pip --require-hashes). Running it again when the
// validator is there does nothing.
//
//   node scripts/setup-manifest-validator.mjs          install if missing; exit 1 when it cannot
//   node scripts/setup-manifest-validator.mjs --soft   same, but never fails (the test then says why it skipped)
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findPythonWithPip } from "./pip-wheels.mjs";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const soft = process.argv.includes("--soft");
const venv = join(projectRoot, ".venv-tools");
const requirements = join(projectRoot, "scripts", "manifest-validator-requirements.txt");
const validator = join(venv, "bin", "kubernetes-validate");
const marker = join(venv, "requirements.txt");

function fail(message) {
  process.stderr.write(`[rta setup-manifest-validator] ${message}\n`);
  process.exit(soft ? 0 : 1);
}

const wanted = readFileSync(requirements, "utf8");
if (existsSync(validator) && existsSync(marker) && readFileSync(marker, "utf8") === wanted) process.exit(0);

const found = findPythonWithPip();
if (found.problem) fail(found.problem);
process.stderr.write(
  "[rta setup-manifest-validator] installing kubernetes-validate (hash-pinned) into .venv-tools ...\n",
);
rmSync(venv, { recursive: true, force: true });
const steps = [
  [found.python, ["-m", "venv", venv]],
  [
    join(venv, "bin", "python"),
    [
      "-m",
      "pip",
      "install",
      "-q",
      "--disable-pip-version-check",
      "--require-hashes",
      "--only-binary=:all:",
      "-r",
      requirements,
    ],
  ],
];
for (const [command, args] of steps) {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: "inherit" });
  if (result.status !== 0) {
    rmSync(venv, { recursive: true, force: true });
    fail(
      `\`${command} ${args.join(" ")}\` failed. By hand: python3 -m venv .venv-tools && ` +
        ".venv-tools/bin/pip install --require-hashes -r scripts/manifest-validator-requirements.txt",
    );
  }
}
writeFileSync(marker, wanted);
process.stderr.write("[rta setup-manifest-validator] kubernetes-validate ready: .venv-tools/bin/kubernetes-validate\n");
