/** Signed tree heads, per tenant and tree size. */
import { and, desc, eq, gt, lt, max, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { type Checkpoint, checkpoints, receiptLogs, tenants } from "../db/schema";

/** Inserts unless that tree size is already checkpointed; returns the stored row either way. */
export async function insertCheckpoint(
  db: Database,
  row: Checkpoint,
): Promise<{ row: Checkpoint; created: boolean }> {
  const [inserted] = await db
    .insert(checkpoints)
    .values(row)
    .onConflictDoNothing({ target: [checkpoints.tenantId, checkpoints.treeSize] })
    .returning();
  if (inserted) return { row: inserted, created: true };
  const existing = await findCheckpoint(db, row.tenantId, row.treeSize);
  if (!existing) throw new Error(`checkpoint ${row.tenantId}/${row.treeSize} conflicted but cannot be read`);
  return { row: existing, created: false };
}

export async function findCheckpoint(db: Database, tenantId: string, treeSize: number) {
  const [row] = await db
    .select()
    .from(checkpoints)
    .where(and(eq(checkpoints.tenantId, tenantId), eq(checkpoints.treeSize, treeSize)))
    .limit(1);
  return row;
}

export async function latestCheckpointRow(db: Database, tenantId: string): Promise<Checkpoint | undefined> {
  const [row] = await db
    .select()
    .from(checkpoints)
    .where(eq(checkpoints.tenantId, tenantId))
    .orderBy(desc(checkpoints.treeSize))
    .limit(1);
  return row;
}

/** Largest tree first, keyset below `belowSize`. */
export async function listCheckpointRows(
  db: Database,
  tenantId: string,
  page: { limit: number; belowSize?: number },
): Promise<Checkpoint[]> {
  return db
    .select()
    .from(checkpoints)
    .where(
      and(
        eq(checkpoints.tenantId, tenantId),
        page.belowSize !== undefined ? lt(checkpoints.treeSize, page.belowSize) : undefined,
      ),
    )
    .orderBy(desc(checkpoints.treeSize))
    .limit(page.limit + 1);
}

/** Every checkpoint of a tenant, smallest first (verification compares each against the recomputed tree). */
export async function allCheckpointRows(db: Database, tenantId: string): Promise<Checkpoint[]> {
  return db
    .select()
    .from(checkpoints)
    .where(eq(checkpoints.tenantId, tenantId))
    .orderBy(checkpoints.treeSize);
}

/** Tenants whose log has grown past their last checkpoint (or never had one). */
export async function tenantsWithUncheckpointedReceipts(db: Database) {
  const last = db
    .select({ tenantId: checkpoints.tenantId, signedSize: max(checkpoints.treeSize).as("signed_size") })
    .from(checkpoints)
    .groupBy(checkpoints.tenantId)
    .as("last");
  return db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
    .from(receiptLogs)
    .innerJoin(tenants, eq(tenants.id, receiptLogs.tenantId))
    .leftJoin(last, eq(last.tenantId, receiptLogs.tenantId))
    .where(gt(receiptLogs.size, sql`coalesce(${last.signedSize}, 0)`))
    .orderBy(tenants.id);
}
