#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs dependencies when they are missing or older than
// package-lock.json, then makes sure the local models are present (scripts/setup-model.mjs): the ones
// named on the command line (npm test names what the tests use), else the one `npm start` will run.
// Uses only Node built-ins, so it works on a fresh clone before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const installedMarker = join(projectRoot, "node_modules", ".package-lock.json");
const lockFile = join(projectRoot, "package-lock.json");

function run(command, args) {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const stale = !existsSync(installedMarker) || statSync(installedMarker).mtimeMs < statSync(lockFile).mtimeMs;
if (stale) {
  process.stderr.write("[rta] installing dependencies (npm ci) ...\n");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}
run(process.execPath, [join(projectRoot, "scripts", "setup-model.mjs"), ...process.argv.slice(2)]);
