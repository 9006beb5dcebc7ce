/**
 * `npm run bench:import -- --rows 1000000`: the incidents import on a real Postgres
 * (BENCH_DATABASE_URL or TEST_DATABASE_URL), against baselines measured in the same run:
 * raw PapaParse over the same file, and raw `COPY` of the same file into a table of its
 * columns. Prints rows/s, the ratios and peak RSS; asserts nothing.
 *
 * Each size runs in its own process (scripts/bench/import-run.ts, built as `build:node`
 * builds the server: plain JavaScript, no TypeScript loader), so its peak RSS is its own.
 * With more than 100k rows a 100k-row run goes first, to show whether memory grows with the
 * file. BENCH_PROFILE=<folder> also writes a CPU profile of each run.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminQuery } from "../shared/platform/postgres-admin";
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

const fmt = (x: number) => Math.round(x).toLocaleString("en-US").padStart(10);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
/** This process's CPU per 1,000 rows: steadier than rows/s on a busy machine. */
const cpu = (r: RunFigures, phase: { cpuSeconds: number }) =>
  `cpu ${((phase.cpuSeconds * 1e6) / r.rows).toFixed(1)} ms/1k rows`;

const results: RunFigures[] = [];
const workDir = await mkdtemp(join(tmpdir(), "sb-bench-import-"));
try {
  for (const size of sizes) {
    console.error(`preparing ${size.toLocaleString("en-US")} rows…`);
    const prepared = await prepareRun(base, workDir, size);
    try {
      console.error("measuring…");
      results.push(await measure(prepared));
    } finally {
      await adminQuery(
        base,
        `drop database if exists "${new URL(prepared.url).pathname.slice(1)}" with (force)`,
      );
    }
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

console.log(`\nincidents import benchmark — Postgres ${new URL(base).host}\n`);
for (const r of results) {
  const ratio = (x: number, of: number) => `×${(x / of).toFixed(2)}`;
  console.log(`${r.rows.toLocaleString("en-US")} rows, ${mb(r.fileBytes)} CSV`);
  console.log(
    `  baseline: raw PapaParse parse   ${fmt(r.parse.rowsPerSecond)} rows/s                      ${cpu(r, r.parse)}   peak RSS ${mb(r.parse.peakRss)}`,
  );
  console.log(
    `  dry-run (plan)                  ${fmt(r.dryRun.rowsPerSecond)} rows/s   ${ratio(r.dryRun.rowsPerSecond, r.parse.rowsPerSecond)} of raw parse   peak RSS ${mb(r.dryRun.peakRss)}   ${cpu(r, r.dryRun)}`,
  );
  console.log(
    `  baseline: raw COPY              ${fmt(r.copy.rowsPerSecond)} rows/s   peak RSS ${mb(r.copy.peakRss)}`,
  );
  console.log(
    `  raw COPY into incidents' shape  ${fmt(r.copyIncidents.rowsPerSecond)} rows/s   ${ratio(r.copyIncidents.rowsPerSecond, r.copy.rowsPerSecond)} of raw COPY    (3 indexes, statement trigger: storing alone)   peak RSS ${mb(r.copyIncidents.peakRss)}`,
  );
  console.log(
    `  commit (chunks via the queue)   ${fmt(r.commit.rowsPerSecond)} rows/s   ${ratio(r.commit.rowsPerSecond, r.copy.rowsPerSecond)} of raw COPY    peak RSS ${mb(r.commit.peakRss)}   ${cpu(r, r.commit)}`,
  );
  console.log(
    `  rows applied ${r.commit.applied.toLocaleString("en-US")}, chunks ${r.commit.chunks}, receipts ${r.commit.receipts}, manifest ${r.commit.manifestDigest ? "signed" : "missing"}; process peak RSS ${mb(r.maxRss)} (at rest ${mb(r.restingRss)})`,
  );
  const marks = Object.entries(r.highWater).map(([phase, bytes]) => `${phase} ${mb(bytes)}`);
  console.log(`  process high-water RSS after each phase: ${marks.join(", ")}\n`);
}

const last = results.at(-1) as RunFigures;
const first = results[0] as RunFigures;
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
const dryRatio = last.dryRun.rowsPerSecond / last.parse.rowsPerSecond;
const commitRatio = last.commit.rowsPerSecond / last.copy.rowsPerSecond;
// Growth is the import's own (dry run and commit): the process peak also holds the baselines' phases.
const importPeak = (r: RunFigures) => Math.max(r.dryRun.peakRss, r.commit.peakRss);
const growth = importPeak(last) / importPeak(first);
console.log(
  `targets at ${last.rows.toLocaleString("en-US")} rows: dry-run ≥ 0.5× raw parse: ×${dryRatio.toFixed(2)} ${verdict(dryRatio >= 0.5)}` +
    ` | commit ≥ 0.33× raw COPY: ×${commitRatio.toFixed(2)} ${verdict(commitRatio >= 0.33)}` +
    ` | peak RSS < 300 MB: ${mb(last.maxRss)} ${verdict(last.maxRss < 300 * 1024 * 1024)}` +
    (results.length > 1
      ? ` | import peak RSS ${first.rows.toLocaleString("en-US")} → ${last.rows.toLocaleString("en-US")} rows: ${mb(importPeak(first))} → ${mb(importPeak(last))}, ×${growth.toFixed(2)} ${verdict(growth < 1.25)}`
      : ""),
);
