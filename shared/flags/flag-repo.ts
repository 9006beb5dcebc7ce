/** Flags and their versions. Platform-owned rows: no tenant filter, the set is the deployment's. */
import { and, asc, desc, eq, inArray, lt } from "drizzle-orm";
import type { Database } from "../db/client";
import { type Flag, type FlagVersion, flags, flagVersions, tenants } from "../db/schema";

export async function listFlagRows(db: Database): Promise<Flag[]> {
  return db.select().from(flags).orderBy(asc(flags.key));
}

export async function findFlagRow(db: Database, key: string, lock = false): Promise<Flag | undefined> {
  const query = db.select().from(flags).where(eq(flags.key, key)).limit(1);
  const [row] = await (lock ? query.for("update") : query);
  return row;
}

export async function upsertFlagRow(db: Database, row: typeof flags.$inferInsert): Promise<void> {
  await db
    .insert(flags)
    .values(row)
    .onConflictDoUpdate({
      target: flags.key,
      set: {
        version: row.version,
        config: row.config,
        digest: row.digest,
        updatedAt: row.updatedAt,
        updatedBy: row.updatedBy,
      },
    });
}

export async function insertFlagVersion(db: Database, row: typeof flagVersions.$inferInsert): Promise<void> {
  await db.insert(flagVersions).values(row);
}

export async function findFlagVersion(
  db: Database,
  key: string,
  version: number,
): Promise<FlagVersion | undefined> {
  const [row] = await db
    .select()
    .from(flagVersions)
    .where(and(eq(flagVersions.key, key), eq(flagVersions.version, version)))
    .limit(1);
  return row;
}

/** Newest first; `before` pages down from a version. */
export async function listFlagVersionRows(
  db: Database,
  key: string,
  page: { limit: number; before?: number },
): Promise<FlagVersion[]> {
  const where =
    page.before === undefined
      ? eq(flagVersions.key, key)
      : and(eq(flagVersions.key, key), lt(flagVersions.version, page.before));
  return db
    .select()
    .from(flagVersions)
    .where(where)
    .orderBy(desc(flagVersions.version))
    .limit(page.limit + 1);
}

/** Which of these tenant ids exist. */
export async function existingTenantIds(db: Database, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(inArray(tenants.id, [...ids]));
  return new Set(rows.map((r) => r.id));
}

export async function tenantRefsByIds(db: Database, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
    .from(tenants)
    .where(inArray(tenants.id, [...ids]));
}
