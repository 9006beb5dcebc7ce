/**
 * One measured `bench:import` run, in its own process (argv[2]: a PreparedRun as JSON):
 * raw PapaParse over the file, the dry run, raw COPY of the file (into a table of its
 * columns, then into a copy of `incidents`), the commit through the queue. Prints one
 * JSON line of figures.
 */
import { createReadStream, readFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import Papa from "papaparse";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { PlanCounts } from "../../shared/db/schema";
import { commitPlan } from "../../shared/imports/framework/commit/commit";
import { createPlan } from "../../shared/imports/framework/plan/dry-run";
import { getImportRow } from "../../shared/imports/framework/views/import-view";
import { benchPlatform, type PreparedRun, tenantCtx } from "./import-setup";
import { copyTableDdl, incidentsCopyDdl, incidentsCopyStatement } from "./incidents-csv";

export interface RunFigures {
  rows: number;
  fileBytes: number;
  parse: { rowsPerSecond: number; cpuSeconds: number; peakRss: number };
  dryRun: { rowsPerSecond: number; cpuSeconds: number; peakRss: number; counts: PlanCounts };
  copy: { rowsPerSecond: number; peakRss: number };
  /** COPY of the same file into a copy of the incidents table: the storage cost alone. */
  copyIncidents: { rowsPerSecond: number; peakRss: number };
  commit: {
    rowsPerSecond: number;
    cpuSeconds: number;
    peakRss: number;
    applied: number;
    chunks: number;
    receipts: number;
    manifestDigest: string | null;
  };
  maxRss: number;
  /** The process's high-water RSS once each phase ended: which phase set the peak. */
  highWater: Record<string, number>;
  /** The process before any work: code, Cedar, drivers loaded. */
  restingRss: number;
}

const run = JSON.parse(process.argv[2] ?? "") as PreparedRun;
/**
 * This process's peak resident memory so far: Linux's VmHWM. `resourceUsage().maxRSS` is
 * not this process's own: Linux carries the parent's RSS at the fork over the exec, so it
 * would count the preparing process's memory.
 */
function peakRss(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux: the rusage figure, which may include the parent's
  }
  return process.resourceUsage().maxRSS * 1024;
}

const highWater: Record<string, number> = {};
const mark = (phase: string) => {
  highWater[phase] = peakRss();
};

/**
 * Peak resident memory while `work` runs, sampled every 10 ms. A phase leaves a collected
 * heap behind (the run has --expose-gc), so the next phase's peak is its own and not the
 * garbage this one left; the first phase (the raw parse baseline) starts as the process is.
 */
async function measured<T>(work: () => Promise<T>) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return {
      result,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      peak: Math.max(peak, process.memoryUsage.rss()),
    };
  } finally {
    clearInterval(timer);
    (globalThis as { gc?: () => void }).gc?.();
  }
}

async function rawParse(): Promise<number> {
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {});
    parser.on("data", () => {
      rows++;
    });
    parser.on("end", () => resolve());
    parser.on("error", reject);
    createReadStream(run.file).on("error", reject).pipe(parser);
  });
  return rows - 1; // the header
}

/**
 * Before each measured phase that writes: a CHECKPOINT, so the dirty pages and WAL one
 * phase leaves are written on its own clock, not on the next phase's.
 */
async function checkpoint(client: { query(text: string): Promise<unknown> }) {
  await client.query("checkpoint");
}

/** COPY of the file after `ddl`; only the COPY is timed. */
async function rawCopy(ddl: string[], statement: string) {
  const client = new pg.Client({ connectionString: run.url });
  await client.connect();
  try {
    for (const step of ddl) await client.query(step);
    await checkpoint(client);
    return await measured(async () => {
      const sink = client.query(copyFrom(statement));
      await pipeline(createReadStream(run.file), sink);
      return Number(sink.rowCount);
    });
  } finally {
    await client.end();
  }
}

const { platform, database } = await benchPlatform(run.url, run.dataDir);
try {
  const ctx = await tenantCtx(platform, run.apiKey);
  const restingRss = process.memoryUsage.rss();
  mark("at rest");

  const parse = await measured(rawParse);
  mark("raw parse");
  if (parse.result !== run.rows) throw new Error(`PapaParse read ${parse.result} rows, not ${run.rows}`);

  await checkpoint(database.pool);
  const dryRun = await measured(() =>
    createPlan({ ctx, input: { kind: "incidents", format: "csv", source: { upload: run.uploadId } } }),
  );
  mark("dry run");
  const plan = dryRun.result.plan;
  if (plan.counts.create !== run.rows)
    throw new Error(`the plan creates ${plan.counts.create} rows: ${JSON.stringify(plan.counts)}`);

  const copy = await rawCopy([copyTableDdl], "copy bench_copy from stdin with (format csv, header true)");
  mark("raw COPY");
  const copyIncidents = await rawCopy(incidentsCopyDdl(ctx.tenant.id), incidentsCopyStatement);
  mark("raw COPY into incidents");
  if (copyIncidents.result !== run.rows)
    throw new Error(`COPY into incidents stored ${copyIncidents.result} rows`);

  await checkpoint(database.pool);
  const commit = await measured(async () => {
    const { import: started } = await commitPlan({ ctx, id: plan.id });
    for (;;) {
      const imp = await getImportRow(ctx, started.id);
      if (imp.status === "completed") return imp;
      if (imp.status !== "applying") throw new Error(`the import ended ${imp.status}: ${imp.error}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  mark("commit");
  const imp = commit.result;
  const receipts = await database.pool.query(
    "select count(*)::int as n from receipts where tenant_id = $1 and kind = 'import.chunk.applied'",
    [ctx.tenant.id],
  );

  const figures: RunFigures = {
    rows: run.rows,
    fileBytes: run.fileBytes,
    parse: { rowsPerSecond: run.rows / parse.seconds, cpuSeconds: parse.cpuSeconds, peakRss: parse.peak },
    dryRun: {
      rowsPerSecond: run.rows / dryRun.seconds,
      cpuSeconds: dryRun.cpuSeconds,
      peakRss: dryRun.peak,
      counts: plan.counts,
    },
    copy: { rowsPerSecond: copy.result / copy.seconds, peakRss: copy.peak },
    copyIncidents: {
      rowsPerSecond: copyIncidents.result / copyIncidents.seconds,
      peakRss: copyIncidents.peak,
    },
    commit: {
      rowsPerSecond: imp.rowsApplied / commit.seconds,
      cpuSeconds: commit.cpuSeconds,
      peakRss: commit.peak,
      applied: imp.rowsApplied,
      chunks: imp.chunksTotal,
      receipts: receipts.rows[0]?.n ?? 0,
      manifestDigest: plan.manifestDigest,
    },
    maxRss: peakRss(),
    highWater,
    restingRss,
  };
  console.log(JSON.stringify(figures));
} finally {
  await platform.shutdown();
}
