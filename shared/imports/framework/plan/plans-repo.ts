/** import_plans and tenant_state: always within one tenant. */
import { and, eq, lt, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { type ImportPlan, importPlans, imports, tenantState } from "../../../db/schema";
import type { ImportKind } from "../../types";

export async function findPlan(db: Database, tenantId: string, id: string): Promise<ImportPlan | undefined> {
  const [row] = await db
    .select()
    .from(importPlans)
    .where(and(eq(importPlans.tenantId, tenantId), eq(importPlans.id, id)))
    .limit(1);
  return row;
}

/** Inserts the plan unless a plan with its (content-addressed) id exists; returns the stored one. */
export async function insertPlan(db: Database, row: typeof importPlans.$inferInsert): Promise<ImportPlan> {
  await db.insert(importPlans).values(row).onConflictDoNothing();
  const stored = await findPlan(db, row.tenantId, row.id);
  if (!stored) throw new Error(`plan ${row.id} vanished`);
  return stored;
}

/** The state watermark of one kind: 0 before anything of that kind was written. */
export async function readWatermark(db: Database, tenantId: string, kind: ImportKind): Promise<number> {
  const [row] = await db
    .select({ version: tenantState.version })
    .from(tenantState)
    .where(and(eq(tenantState.tenantId, tenantId), eq(tenantState.kind, kind)))
    .limit(1);
  return row?.version ?? 0;
}

/** Moves the watermark (an import completed or was reverted), whether or not a trigger already did. */
export async function bumpWatermark(db: Database, tenantId: string, kind: ImportKind, at: Date) {
  await db
    .insert(tenantState)
    .values({ tenantId, kind, version: 1, updatedAt: at })
    .onConflictDoUpdate({
      target: [tenantState.tenantId, tenantState.kind],
      set: { version: sql`${tenantState.version} + 1`, updatedAt: at },
    });
}

export async function updatePlanReceipt(db: Database, tenantId: string, id: string, receiptId: string) {
  const [row] = await db
    .update(importPlans)
    .set({ receiptId })
    .where(and(eq(importPlans.tenantId, tenantId), eq(importPlans.id, id)))
    .returning();
  return row;
}

const neverCommitted = sql`not exists (select 1 from ${imports} where ${imports.tenantId} = ${importPlans.tenantId} and ${imports.planId} = ${importPlans.id})`;

/** The housekeeping cron: up to `limit` plans made before `before` that no import committed (any tenant). */
export async function uncommittedPlansBefore(db: Database, before: Date, limit: number) {
  return db
    .select({ tenantId: importPlans.tenantId, id: importPlans.id, objectPrefix: importPlans.objectPrefix })
    .from(importPlans)
    .where(and(lt(importPlans.createdAt, before), neverCommitted))
    .limit(limit);
}

/**
 * A commit's hold on its plan: `FOR SHARE` until the commit's transaction ends, so
 * housekeeping cannot delete the plan under it. False when the plan is gone.
 */
export async function holdPlan(db: Database, tenantId: string, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: importPlans.id })
    .from(importPlans)
    .where(and(eq(importPlans.tenantId, tenantId), eq(importPlans.id, id)))
    .for("share");
  return rows.length > 0;
}

/**
 * Deletes the plan unless an import committed it; whether it was deleted. The row is
 * locked first (waiting for a commit that holds it), and the check runs in the next
 * statement, whose snapshot sees that commit's import.
 */
export async function deleteUncommittedPlan(db: Database, tenantId: string, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const mine = and(eq(importPlans.tenantId, tenantId), eq(importPlans.id, id));
    const locked = await tx.select({ id: importPlans.id }).from(importPlans).where(mine).for("update");
    if (locked.length === 0) return false;
    const deleted = await tx
      .delete(importPlans)
      .where(and(mine, neverCommitted))
      .returning({ id: importPlans.id });
    return deleted.length > 0;
  });
}
