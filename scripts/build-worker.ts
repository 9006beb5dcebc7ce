/**
 * `npm run build:worker [-- --env production]`: bundles functions/worker.ts with
 * wrangler (dry run, nothing is uploaded) into dist/worker, prints the size of
 * what would be uploaded, raw and gzipped, and fails when it is over the Workers
 * free-plan limit or when a Node-only adapter (PGlite, node-postgres, node:fs)
 * leaked into it.
 */
import { spawnSync } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const outDir = join(root, "dist", "worker");
export const workerScript = join(outDir, "worker.js");
const metafile = join(root, "dist", "worker-meta.json");
const LIMIT_GZIP = 3 * 1024 * 1024;

/**
 * Text that only Node-only code leaves in the bundle. A bare "pg-pool" is not
 * one: @neondatabase/serverless embeds node-postgres's package.json, which lists it.
 */
const forbiddenText = [
  "@electric-sql/pglite",
  "PGlite",
  "node_modules/pg/",
  "node_modules/pg-pool/",
  "drizzle-orm/node-postgres",
  "drizzle-orm/pglite",
  "store-fs",
  "signer-file",
  "node:fs",
  // With nodejs_compat, wrangler may swap node:fs for unenv's not-implemented stubs.
  "unenv/dist/runtime/node/fs",
  "unenv/dist/runtime/node/internal/fs",
];
/** Bundle inputs (esbuild metafile) that must never be reached from the worker entry. */
const forbiddenInput =
  /(^|\/)node_modules\/(pg|pg-pool|@electric-sql\/pglite)\/|drizzle-orm\/(node-postgres|pglite)\/|unenv\/dist\/runtime\/node\/(internal\/)?fs|shared\/platform\/(database-pg|database-pglite|store-fs|signer-file|queue-local)\.ts$|functions\/(node|platform-node)\.ts$/;

export interface BundleReport {
  files: { name: string; raw: number; gzip: number }[];
  raw: number;
  gzip: number;
  problems: string[];
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** Runs wrangler and inspects its output; throws only when wrangler itself fails. */
export async function buildWorker(extraArgs: string[] = []): Promise<BundleReport> {
  await rm(outDir, { recursive: true, force: true });
  const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const args = ["deploy", "--dry-run", "--outdir", outDir, "--metafile", metafile, ...extraArgs];
  const result = spawnSync(process.execPath, [wrangler, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
  });
  if (result.status !== 0) {
    throw new Error(
      `wrangler ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return inspect();
}

async function inspect(): Promise<BundleReport> {
  const problems: string[] = [];
  const files: BundleReport["files"] = [];
  // What wrangler uploads: modules and assets, not the source map or the README it writes.
  const names = (await readdir(outDir)).filter((n) => !n.endsWith(".map") && n !== "README.md").sort();
  for (const name of names) {
    const bytes = await readFile(join(outDir, name));
    files.push({ name, raw: bytes.byteLength, gzip: gzipSync(bytes).byteLength });
    const text = bytes.toString("latin1");
    for (const marker of forbiddenText) {
      if (text.includes(marker)) problems.push(`${name} contains "${marker}" (Node-only code in the bundle)`);
    }
  }
  const meta = JSON.parse(await readFile(metafile, "utf8")) as { inputs: Record<string, unknown> };
  // One line per forbidden package or file, not per module.
  const leaked = new Set(Object.keys(meta.inputs).flatMap((input) => forbiddenInput.exec(input)?.[0] ?? []));
  for (const input of leaked) problems.push(`bundle inputs include ${input.replace(/^\//, "")} (Node-only)`);
  const raw = files.reduce((sum, f) => sum + f.raw, 0);
  const gzip = files.reduce((sum, f) => sum + f.gzip, 0);
  if (gzip > LIMIT_GZIP) problems.push(`bundle is ${kib(gzip)} gzipped, over the ${kib(LIMIT_GZIP)} limit`);
  return { files, raw, gzip, problems };
}

async function main() {
  const report = await buildWorker(process.argv.slice(2));
  for (const f of report.files)
    console.log(`  ${f.name.padEnd(28)} ${kib(f.raw).padStart(12)}  gzip ${kib(f.gzip)}`);
  console.log(
    `worker bundle: ${kib(report.raw)} raw, ${kib(report.gzip)} gzipped (limit ${kib(LIMIT_GZIP)})`,
  );
  for (const problem of report.problems) console.error(`error: ${problem}`);
  if (report.problems.length > 0) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
