// Work for worker-pool.test.ts: a module that says when a worker has loaded it.
import { writeFileSync } from "node:fs";

const mark = process.env.RTA_TEST_PRELOAD_MARK;
if (mark) writeFileSync(mark, String(process.pid));

export function loaded(): boolean {
  return true;
}
