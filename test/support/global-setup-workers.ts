/**
 * The workers tier: the wrangler-built bundle (rebuilt when a source is newer),
 * a fresh migrated Postgres database, and the WebSocket→TCP proxy the Neon
 * driver inside workerd uses to reach it.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildWorker, root, workerScript } from "../../scripts/build-worker";
import { createPgDatabase } from "../../shared/platform/database-pg";
import { adminQuery, databaseUrl } from "../../shared/platform/postgres-admin";
import { startWsProxy } from "./ws-proxy";

declare module "vitest" {
  export interface ProvidedContext {
    workersDatabaseUrl: string;
    neonWsProxy: string;
    workerScript: string;
  }
}

const sources = ["functions", "shared", "wrangler.toml", "package-lock.json", "scripts/build-worker.ts"];

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

async function ensureBundle(): Promise<void> {
  const built = (await stat(workerScript).catch(() => null))?.mtimeMs ?? 0;
  const newest = Math.max(...(await Promise.all(sources.map((s) => newestMtime(join(root, s))))));
  if (built > newest && !process.env.REBUILD_WORKER) return;
  const report = await buildWorker();
  if (report.problems.length > 0) throw new Error(`worker bundle rejected:\n${report.problems.join("\n")}`);
}

export async function setup(project: TestProject) {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is required for the workers tier");
  await ensureBundle();

  const name = `sb_workers_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(base, `create database "${name}"`);
  const url = databaseUrl(base, name);
  const db = createPgDatabase({ url, max: 1 });
  try {
    await db.migrate(join(root, "migrations"));
  } finally {
    await db.shutdown();
  }
  const proxy = await startWsProxy({ allowPorts: [Number(new URL(base).port || 5432)] });

  project.provide("workersDatabaseUrl", url);
  project.provide("neonWsProxy", proxy.host);
  project.provide("workerScript", workerScript);
  return async () => {
    await proxy.close();
    await adminQuery(base, `drop database if exists "${name}" with (force)`);
  };
}
