/** Embedded Postgres (PGlite, WASM) in a data folder: the default on Node. Node only. */
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import type { Database } from "../db/client";
import * as schema from "../db/schema";
import type { DatabasePort } from "./ports";

export interface PgliteDatabase extends DatabasePort {
  readonly client: PGlite;
  migrate(migrationsFolder: string): Promise<void>;
  shutdown(): Promise<void>;
}

/** `dataDir` undefined keeps the database in memory (tests). */
export async function createPgliteDatabase(options: {
  dataDir?: string;
  loadDataDir?: Blob | File;
}): Promise<PgliteDatabase> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const db = drizzle({ client, schema }) as unknown as Database;
  return {
    driver: "pglite",
    client,
    connect: () => ({ db, close: async () => {} }),
    migrate: (migrationsFolder) => migrate(drizzle({ client, schema }), { migrationsFolder }),
    shutdown: () => client.close(),
  };
}
