/** import_sources and import_uploads: always within one tenant. */
import { and, eq, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { type ImportSource, type ImportUpload, importSources, importUploads } from "../../db/schema";

export async function findSource(db: Database, tenantId: string, sha256: string) {
  const [row] = await db
    .select()
    .from(importSources)
    .where(and(eq(importSources.tenantId, tenantId), eq(importSources.sha256, sha256)))
    .limit(1);
  return row;
}

/** The source row for this digest: the new one, or the one already recorded. */
export async function recordSource(
  db: Database,
  row: typeof importSources.$inferInsert,
): Promise<ImportSource> {
  await db.insert(importSources).values(row).onConflictDoNothing();
  const found = await findSource(db, row.tenantId, row.sha256);
  if (!found) throw new Error(`import source ${row.sha256} vanished`);
  return found;
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
