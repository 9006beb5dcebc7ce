/** import_sources and import_uploads: always within one tenant. */
import { and, eq, lt, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import {
  type ImportSource,
  type ImportUpload,
  importPlans,
  importSources,
  importUploads,
} from "../../../db/schema";

export async function findSource(db: Database, tenantId: string, sha256: string) {
  const [row] = await db
    .select()
    .from(importSources)
    .where(and(eq(importSources.tenantId, tenantId), eq(importSources.sha256, sha256)))
    .limit(1);
  return row;
}

/** The source row for this digest: the new one, or the one already recorded (marked used now). */
export async function recordSource(
  db: Database,
  row: typeof importSources.$inferInsert & { lastUsedAt: Date },
): Promise<ImportSource> {
  await db
    .insert(importSources)
    .values(row)
    .onConflictDoUpdate({
      target: [importSources.tenantId, importSources.sha256],
      set: { lastUsedAt: row.lastUsedAt },
    });
  const found = await findSource(db, row.tenantId, row.sha256);
  if (!found) throw new Error(`import source ${row.sha256} vanished`);
  return found;
}

/**
 * Marks a source used before a dry run looks for its object, so housekeeping cannot sweep
 * it while the run reads it (a sweep under way holds the row: this waits for it, then
 * finds nothing). Whether the source is recorded.
 */
export async function touchSource(db: Database, tenantId: string, sha256: string, at: Date) {
  const rows = await db
    .update(importSources)
    .set({ lastUsedAt: at })
    .where(and(eq(importSources.tenantId, tenantId), eq(importSources.sha256, sha256)))
    .returning({ sha256: importSources.sha256 });
  return rows.length > 0;
}

/** No plan names this source: its plans expired (a committed plan is kept, so is its source). */
const unplanned = sql`not exists (select 1 from ${importPlans} where ${importPlans.tenantId} = ${importSources.tenantId} and ${importPlans.sourceSha256} = ${importSources.sha256})`;

/** The housekeeping cron: up to `limit` sources unused since `before` that no plan names (any tenant). */
export async function unusedSourcesBefore(db: Database, before: Date, limit: number) {
  return db
    .select({ tenantId: importSources.tenantId, sha256: importSources.sha256 })
    .from(importSources)
    .where(and(lt(importSources.lastUsedAt, before), unplanned))
    .limit(limit);
}

/**
 * Deletes a source still unused since `before` and unplanned: the row is locked (a dry run
 * touching it waits), `removeObject` deletes its bytes, then the row goes. False when a
 * dry run used or planned it meanwhile.
 */
export async function deleteUnusedSource(
  db: Database,
  key: { tenantId: string; sha256: string; before: Date },
  removeObject: (objectKey: string) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const mine = and(eq(importSources.tenantId, key.tenantId), eq(importSources.sha256, key.sha256));
    const [locked] = await tx
      .select({ objectKey: importSources.objectKey })
      .from(importSources)
      .where(and(mine, lt(importSources.lastUsedAt, key.before), unplanned))
      .for("update");
    if (!locked) return false;
    await removeObject(locked.objectKey);
    await tx.delete(importSources).where(mine);
    return true;
  });
}

export async function insertUpload(db: Database, row: typeof importUploads.$inferInsert) {
  const [created] = await db.insert(importUploads).values(row).returning();
  if (!created) throw new Error("upload insert returned nothing");
  return created;
}

export async function findUpload(
  db: Database,
  tenantId: string,
  id: string,
): Promise<ImportUpload | undefined> {
  const [row] = await db
    .select()
    .from(importUploads)
    .where(and(eq(importUploads.tenantId, tenantId), eq(importUploads.id, id)))
    .limit(1);
  return row;
}

export async function markUploadReceived(db: Database, tenantId: string, id: string, at: Date) {
  await db
    .update(importUploads)
    .set({ receivedAt: at })
    .where(and(eq(importUploads.tenantId, tenantId), eq(importUploads.id, id)));
}

/**
 * The housekeeping cron: up to `limit` uploads whose slot expired before `before` (any
 * tenant). An upload recorded as a source itself (before sources were copied to
 * `sources/<sha256>`) is kept: its object is that source's bytes.
 */
export async function uploadsExpiredBefore(db: Database, before: Date, limit: number) {
  return db
    .select({ tenantId: importUploads.tenantId, id: importUploads.id, objectKey: importUploads.objectKey })
    .from(importUploads)
    .where(
      and(
        lt(importUploads.expiresAt, before),
        sql`not exists (select 1 from ${importSources} where ${importSources.tenantId} = ${importUploads.tenantId} and ${importSources.objectKey} = ${importUploads.objectKey})`,
      ),
    )
    .limit(limit);
}

export async function deleteUpload(db: Database, tenantId: string, id: string) {
  await db.delete(importUploads).where(and(eq(importUploads.tenantId, tenantId), eq(importUploads.id, id)));
}
