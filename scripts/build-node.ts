/**
 * `npm run build:node`: the Node server as plain JavaScript, for production (`npm run
 * start:built`): no TypeScript loader in the process, which saves its loader thread
 * (~50 MB resident) and the compile at start. Writes
 *   dist/server.mjs                  functions/node.ts and the code it imports (packages stay in node_modules)
 *   dist/import-reader-thread.cjs    the import reader thread's script, found beside the server
 * dist/ is one folder below the root, like functions/, so what the code finds relative to its
 * own module (the migrations folder) resolves the same in the bundle.
 */
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { prebuiltThreadName, threadBuild } from "../shared/platform/import-reader/thread-script";

const root = fileURLToPath(new URL("..", import.meta.url));
export const distDir = join(root, "dist");

/**
 * Bundles `entries` (name → source file, relative to the root) as ES modules into `outdir`
 * (dist/ unless a test builds its own copy), with the reader thread's script beside them.
 */
export async function buildNode(entries: Record<string, string>, outdir = distDir): Promise<void> {
  await Promise.all([
    build({
      entryPoints: Object.entries(entries).map(([out, source]) => ({ out, in: join(root, source) })),
      outdir,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      sourcemap: true,
      logLevel: "warning",
    }),
    build({ ...threadBuild, outfile: join(outdir, prebuiltThreadName) }),
  ]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildNode({ server: "functions/node.ts" });
  console.log(`built ${join(distDir, "server.mjs")} and ${join(distDir, prebuiltThreadName)}`);
}
