/** Migrates one PGlite once per run and dumps it; each test file loads the dump (~0.5 s instead of a cold migrate). */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrationsFolder } from "../../functions/platform-node";
import { createPgliteDatabase } from "../../shared/platform/database-pglite";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteDump: string;
    postgresTemplate: string;
  }
}

export async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), "sb-pglite-"));
  const db = await createPgliteDatabase({});
  await db.migrate(migrationsFolder);
  const dump = await db.client.dumpDataDir("gzip");
  await db.shutdown();
  const file = join(dir, "migrated.tar.gz");
  await writeFile(file, new Uint8Array(await dump.arrayBuffer()));
  project.provide("pgliteDump", file);
  return async () => rm(dir, { recursive: true, force: true });
}
