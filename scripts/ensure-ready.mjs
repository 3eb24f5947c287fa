#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs dependencies when they are missing or older than
// package-lock.json, then makes sure the local models are present (scripts/setup-model.mjs): the ones
// named on the command line (npm test names what the tests use), else the one `npm start` will run.
// Then the tool predictor's local embedder (scripts/setup-embedder.mjs); it is optional (without it
// tools are routed lexically), so failing to fetch it only warns.
// Uses only Node built-ins, so it works on a fresh clone before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = join(projectRoot, "node_modules");
const installedMarker = join(nodeModules, ".package-lock.json");
const lockFile = join(projectRoot, "package-lock.json");

function run(command, args) {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const stale = !existsSync(installedMarker) || statSync(installedMarker).mtimeMs < statSync(lockFile).mtimeMs;
// A linked node_modules is shared with other checkouts (git worktrees): `npm ci` would empty it under
// them, and a fresh checkout's package-lock.json is always newer than its marker. Leave it alone.
const shared = existsSync(nodeModules) && lstatSync(nodeModules).isSymbolicLink();
if (stale && shared) {
  process.stderr.write("[rta] node_modules is a link to a shared install: not reinstalling it from here.\n");
} else if (stale) {
  process.stderr.write("[rta] installing dependencies (npm ci) ...\n");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}
run(process.execPath, [join(projectRoot, "scripts", "setup-model.mjs"), ...process.argv.slice(2)]);
run(process.execPath, [join(projectRoot, "scripts", "setup-embedder.mjs"), "--soft"]);
