/**
 * The reader thread's script as one CommonJS text, so a thread needs no TypeScript loader
 * (which would cost it a loader thread of its own, ~40 MB). Running from the Node build
 * (dist/), it is the file scripts/build-node.ts put beside the server; running from source,
 * thread.ts and all it imports bundled here with esbuild, once per process.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "esbuild";

export const prebuiltThreadName = "import-reader-thread.cjs";

let script: Promise<string> | undefined;

/** How thread.ts is bundled, here from source and by scripts/build-node.ts for dist/. */
export const threadBuild: BuildOptions = {
  entryPoints: [fileURLToPath(new URL("./thread.ts", import.meta.url))],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "error",
};

async function bundledFromSource(): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({ ...threadBuild, write: false });
  const [output] = result.outputFiles ?? [];
  if (!output) throw new Error("bundling the import reader thread produced no output");
  return output.text;
}

export function threadScript(): Promise<string> {
  script ??= readFile(new URL(`./${prebuiltThreadName}`, import.meta.url), "utf8").catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== "ENOENT") throw error;
    return bundledFromSource();
  });
  return script;
}
