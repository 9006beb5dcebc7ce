/**
 * A fresh, migrated database for one test file: PGlite loaded from the run's
 * dump, or (TEST_DB=postgres) a new Postgres database copied from the template.
 */
import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import { createPgDatabase } from "../../shared/platform/database-pg";
import { createPgliteDatabase } from "../../shared/platform/database-pglite";
import type { DatabasePort } from "../../shared/platform/ports";
import { adminQuery, databaseUrl } from "../../shared/platform/postgres-admin";

export type TestDatabase = DatabasePort & { shutdown(): Promise<void>; url?: string };

export async function createTestDatabase(): Promise<TestDatabase> {
  if (process.env.TEST_DB === "postgres") {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error("TEST_DATABASE_URL is required when TEST_DB=postgres");
    const name = `sb_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await adminQuery(base, `create database "${name}" template "${inject("postgresTemplate")}"`);
    const url = databaseUrl(base, name);
    const db = createPgDatabase({ url, max: 20 });
    return {
      ...db,
      url,
      connect: db.connect,
      shutdown: async () => {
        await db.shutdown();
        await adminQuery(base, `drop database if exists "${name}" with (force)`);
      },
    };
  }
  const dump = new Blob([new Uint8Array(await readFile(inject("pgliteDump")))]);
  return createPgliteDatabase({ loadDataDir: dump });
}
