/**
 * `npm run bench:import -- --rows 1000000`: the incidents import on a real Postgres
 * (BENCH_DATABASE_URL or TEST_DATABASE_URL), against baselines measured in the same run:
 * raw PapaParse over the same file, and raw `COPY` of the same file into a table of its
 * columns. Prints rows/s, the ratios and peak RSS (import-report.ts); asserts nothing.
 *
 * Each run is its own process (scripts/bench/import-run.ts, built as `build:node` builds
 * the server: plain JavaScript, no TypeScript loader), so its peak RSS is its own, on its own
 * database. Each size runs `--repeat` times (3 by default): figures on a shared machine move
 * by a third between runs, and the medians are steadier. With more than 100k rows, 100k-row
 * runs go first, to show whether memory grows with the file. BENCH_PROFILE=<folder> also
 * writes a CPU profile of each run.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminQuery } from "../shared/platform/postgres-admin";
import { printReport } from "./bench/import-report";
import type { RunFigures } from "./bench/import-run";
import { type PreparedRun, prepareRun } from "./bench/import-setup";
import { buildNode, distDir } from "./build-node";

const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!base) {
  console.error(
    "Set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a Postgres server, e.g. postgres://postgres@127.0.0.1:5432/test",
  );
  process.exit(1);
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`--${name} takes a positive integer`);
    process.exit(1);
  }
  return value;
}

const rows = argument("rows", 100_000);
const repeat = argument("repeat", 3);
const sizes = rows > 100_000 ? [100_000, rows] : [rows];
await buildNode({ "bench-import-run": "scripts/bench/import-run.ts" });
const runScript = join(distDir, "bench-import-run.mjs");

function measure(prepared: PreparedRun): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    // BENCH_PROFILE=<folder> writes a V8 CPU profile of each measured run there.
    const profile = process.env.BENCH_PROFILE
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
      : [];
    // --expose-gc: each phase leaves a collected heap behind (import-run.ts `measured`).
    const child = spawn(process.execPath, ["--expose-gc", ...profile, runScript, JSON.stringify(prepared)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (piece: Buffer) => {
      out += piece.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) return reject(new Error(`the ${prepared.rows}-row run exited with ${code}: ${out}`));
      resolve(JSON.parse(last) as RunFigures);
    });
  });
}

const results: RunFigures[][] = [];
const workDir = await mkdtemp(join(tmpdir(), "sb-bench-import-"));
try {
  for (const size of sizes) {
    const runs: RunFigures[] = [];
    for (let repetition = 0; repetition < repeat; repetition++) {
      console.error(`${size.toLocaleString("en-US")} rows, run ${repetition + 1} of ${repeat}: preparing…`);
      const prepared = await prepareRun(base, workDir, size, repetition);
      try {
        console.error("  measuring…");
        runs.push(await measure(prepared));
      } finally {
        await adminQuery(
          base,
          `drop database if exists "${new URL(prepared.url).pathname.slice(1)}" with (force)`,
        );
        await rm(prepared.dataDir, { recursive: true, force: true });
      }
    }
    results.push(runs);
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

printReport(new URL(base).host, results);
