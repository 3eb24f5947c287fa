import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const pageScript = fileURLToPath(new URL("./chat-page.ts", import.meta.url));

let bundle: Promise<string> | undefined;

/**
 * The chat page's script with the typed client (realtime-agent/client) and zod, as one ES module for
 * browsers. Built with esbuild on first use, then kept in memory; nothing is fetched at run time.
 */
export function chatPageBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [pageScript],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    // The client loads `ws` only where no WebSocket exists (Node); browsers have one.
    external: ["ws"],
    logLevel: "silent",
  }).then((result) => result.outputFiles[0]!.text);
  bundle.catch(() => {
    bundle = undefined;
  });
  return bundle;
}
