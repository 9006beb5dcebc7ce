/**
 * What both halves of `bench:import` share: a platform on a bench database and the
 * tenant context of its admin key, and the preparation of one run (outside the measured
 * process): a fresh database, a tenant, the generated CSV placed as an upload.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createNodePlatform, migrationsFolder, type NodePlatform } from "../../functions/platform-node";
import type { TenantCtx } from "../../shared/context/context";
import { createUpload } from "../../shared/imports/framework/sources/uploads";
import { loadNodeConfig } from "../../shared/platform/config";
import { createPgDatabase } from "../../shared/platform/database-pg";
import { contextFor } from "../../shared/platform/platform";
import { adminQuery, databaseUrl } from "../../shared/platform/postgres-admin";
import { authenticateApiKey } from "../../shared/tenants/api-keys";
import { createTenantWithAdminKey } from "../../shared/tenants/seed";
import { writeIncidentsCsv } from "./incidents-csv";

/** Files up to 4 GiB: the bench's files are larger than the 50 MiB default. */
const importMaxBytes = String(4 * 1024 * 1024 * 1024);

export interface PreparedRun {
  url: string;
  dataDir: string;
  apiKey: string;
  uploadId: string;
  file: string;
  fileBytes: number;
  rows: number;
}

export async function benchPlatform(url: string, dataDir: string) {
  const database = createPgDatabase({ url, max: 8 });
  const config = loadNodeConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: url,
    SEED_DEMO: "false",
    LOG_LEVEL: "warn",
    IMPORT_MAX_BYTES: importMaxBytes,
    // IMPORT_READER_THREADS=0 measures the dry run read inline, as on Workers.
    IMPORT_READER_THREADS: process.env.IMPORT_READER_THREADS,
  });
  const platform: NodePlatform = await createNodePlatform(config, { database });
  // As the server does at start: a dry run on a running server finds the reader thread
  // bundled. Awaited, so the bundling's CPU does not land in a measured phase.
  await platform.readers.warm();
  return { platform, database };
}

export async function tenantCtx(platform: NodePlatform, apiKey: string): Promise<TenantCtx> {
  const ctx = contextFor(platform, platform.database.connect().db);
  return { ...ctx, ...(await authenticateApiKey({ ctx, secret: apiKey })) };
}

/** The CSV of `rows` incidents in `workDir`, written by the first run of that size. */
async function incidentsFile(workDir: string, rows: number) {
  const file = join(workDir, `incidents-${rows}.csv`);
  const existing = await stat(file).catch(() => undefined);
  return { file, fileBytes: existing ? existing.size : await writeIncidentsCsv(file, rows) };
}

/** Run `repetition` of a size: its own database and data folder, the size's file. */
export async function prepareRun(
  base: string,
  workDir: string,
  rows: number,
  repetition: number,
): Promise<PreparedRun> {
  const name = `sb_bench_import_${process.pid}_${rows}_${repetition}`;
  const url = databaseUrl(base, name);
  await adminQuery(base, `drop database if exists "${name}" with (force)`);
  await adminQuery(base, `create database "${name}"`);
  const dataDir = join(workDir, `${rows}-${repetition}`);
  const { file, fileBytes } = await incidentsFile(workDir, rows);

  const migrating = createPgDatabase({ url: url });
  await migrating.migrate(migrationsFolder).finally(() => migrating.shutdown());
  const { platform, database } = await benchPlatform(url, dataDir);
  try {
    const { apiKey } = await createTenantWithAdminKey({
      ctx: contextFor(platform, database.connect().db),
      input: { slug: "bench", name: "Bench Inc." },
    });
    const ctx = await tenantCtx(platform, apiKey);
    const upload = await createUpload({ ctx, input: { name: "incidents.csv", contentType: "text/csv" } });
    // Stands in for the partner's presigned PUT straight to the object store.
    await ctx.store.put(`imports/${ctx.tenant.id}/uploads/${upload.id}`, await readFile(file), {
      contentType: "text/csv",
    });
    return { url: url, dataDir, apiKey, uploadId: upload.id, file, fileBytes, rows };
  } finally {
    await platform.shutdown();
  }
}
