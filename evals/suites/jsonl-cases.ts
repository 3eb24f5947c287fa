import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";

/**
 * A suite's own cases from a JSON-lines file, each line checked against `schema`; a bad line fails
 * with its file and line number.
 */
export function loadJsonlCases<Schema extends z.ZodType>(file: URL | string, schema: Schema): z.infer<Schema>[] {
  const path = typeof file === "string" ? file : fileURLToPath(file);
  const name = `${basename(dirname(path))}/${basename(path)}`;
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line, index) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${name} line ${index + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}
