/**
 * Makes the test-only `services` kind's table in a test database from the same two sources
 * `npm run db:generate` uses: drizzle-kit's SQL for the table, and the import triggers'
 * helper (register.ts registers the kind).
 */

import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { sql } from "drizzle-orm";
import type { Database } from "../../../shared/db/client";
import { importTriggerStatements } from "../../../shared/db/import-triggers";
import { tenants } from "../../../shared/db/schema/tenants";
import { importTables } from "../../../shared/imports/registry";
import { services } from "./table";

/** The statements of the kind's migration: what db:generate would write, triggers included. */
export async function servicesMigration(): Promise<string[]> {
  const before = generateDrizzleJson({ tenants });
  const after = generateDrizzleJson({ tenants, services }, before.id);
  const triggers = importTables().filter((t) => t.kind === "services");
  return [...(await generateMigration(before, after)), ...triggers.flatMap(importTriggerStatements)];
}

export async function migrateServices(db: Database): Promise<void> {
  for (const statement of await servicesMigration()) await db.execute(sql.raw(statement));
}
