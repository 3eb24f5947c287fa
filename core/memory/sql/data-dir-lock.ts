import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { StoreError } from "../../contracts/errors.ts";

/**
 * Claims an embedded database's data directory for this process: PGlite is one process's database, and
 * two processes writing one directory would corrupt it. A lock left by a process that is gone is taken
 * over. Returns the function that gives the directory back.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, "rta.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const descriptor = openSync(lockFile, "wx");
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
      if (Number.isInteger(holder) && isAlive(holder))
        throw new StoreError(
          "STORE_UNAVAILABLE",
          `The embedded database in ${dataDir} is in use by process ${holder}. Stop it first, or give this process another RTA_DATA_DIR.`,
        );
      rmSync(lockFile, { force: true });
    }
  }
  throw new StoreError("STORE_UNAVAILABLE", `Could not lock the embedded database in ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
