#!/usr/bin/env node
// Entry point of the `rta` command. The project is TypeScript run directly through tsx: no build step.
import { register } from "tsx/esm/api";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= "true";
register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
