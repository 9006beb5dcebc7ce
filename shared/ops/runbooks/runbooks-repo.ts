import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { type Runbook, runbooks, runbookVersions } from "../../db/schema";
import type { Position } from "../../pagination/cursor";
import { olderThan } from "../../pagination/keyset";

export async function findRunbook(db: Database, tenantId: string, id: string, lock = false) {
  const query = db
    .select()
    .from(runbooks)
    .where(and(eq(runbooks.tenantId, tenantId), eq(runbooks.id, id)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

export async function findRunbookByKey(db: Database, tenantId: string, key: string) {
  const [row] = await db
    .select({ id: runbooks.id })
    .from(runbooks)
    .where(and(eq(runbooks.tenantId, tenantId), eq(runbooks.key, key)))
    .limit(1);
  return row;
}

export async function listRunbookRows(
  db: Database,
  tenantId: string,
  options: { limit: number; after?: Position },
) {
  const { after } = options;
  return db
    .select()
    .from(runbooks)
    .where(and(eq(runbooks.tenantId, tenantId), olderThan(runbooks.createdAt, runbooks.id, after)))
    .orderBy(desc(runbooks.createdAt), desc(runbooks.id))
    .limit(options.limit + 1);
}

/** A new runbook and its version 1. */
export async function insertRunbook(db: Database, row: typeof runbooks.$inferInsert): Promise<Runbook> {
  const [created] = await db.insert(runbooks).values(row).returning();
  if (!created) throw new Error("runbook insert returned no row");
  await db.insert(runbookVersions).values({
    tenantId: created.tenantId,
    runbookKey: created.key,
    versionNo: created.currentVersion,
    content: created.content,
    contentHash: created.contentHash,
    createdAt: created.createdAt,
  });
  return created;
}

/** New content: current_version + 1 and its runbook_versions row. */
export async function addRunbookVersion(
  db: Database,
  current: Runbook,
  next: { title: string; content: Record<string, unknown>; contentHash: string; at: Date },
): Promise<Runbook> {
  const [row] = await db
    .update(runbooks)
    .set({
      title: next.title,
      content: next.content,
      contentHash: next.contentHash,
      currentVersion: current.currentVersion + 1,
      updatedAt: next.at,
    })
    .where(and(eq(runbooks.tenantId, current.tenantId), eq(runbooks.id, current.id)))
    .returning();
  if (!row) throw new Error("runbook update matched no row");
  await db.insert(runbookVersions).values({
    tenantId: row.tenantId,
    runbookKey: row.key,
    versionNo: row.currentVersion,
    content: row.content,
    contentHash: row.contentHash,
    createdAt: next.at,
  });
  return row;
}

export async function listVersions(db: Database, tenantId: string, key: string) {
  return db
    .select()
    .from(runbookVersions)
    .where(and(eq(runbookVersions.tenantId, tenantId), eq(runbookVersions.runbookKey, key)))
    .orderBy(desc(runbookVersions.versionNo));
}
