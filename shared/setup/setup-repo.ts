/** The checklist's rows and the log reads that prove steps; every query is filtered by the tenant. */
import { and, asc, count, eq, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { receipts, type SetupStep, setupSteps, tenants } from "../db/schema";

export async function listSetupSteps(db: Database, tenantId: string): Promise<SetupStep[]> {
  return db.select().from(setupSteps).where(eq(setupSteps.tenantId, tenantId));
}

export interface Proof {
  id: string;
  kind: string;
  actor: string;
  occurredAt: Date;
}

/** The first receipt of any of `kinds` in the tenant's log (the index on tenant, kind, time). */
export async function firstReceiptOf(
  db: Database,
  tenantId: string,
  kinds: readonly string[],
): Promise<Proof | undefined> {
  const [row] = await db
    .select({ id: receipts.id, kind: receipts.kind, actor: receipts.actor, occurredAt: receipts.occurredAt })
    .from(receipts)
    .where(and(eq(receipts.tenantId, tenantId), inArray(receipts.kind, [...kinds])))
    .orderBy(asc(receipts.occurredAt), asc(receipts.seq))
    .limit(1);
  return row;
}

/** Inserts the step's row unless one exists; the row when this call made it. */
export async function insertStepIfAbsent(
  db: Database,
  row: typeof setupSteps.$inferInsert,
): Promise<SetupStep | undefined> {
  const [inserted] = await db.insert(setupSteps).values(row).onConflictDoNothing().returning();
  return inserted;
}

/** A real event replaces an admin's mark; only one of two racing callers gets the row. */
export async function replaceManualStep(
  db: Database,
  row: typeof setupSteps.$inferInsert,
): Promise<SetupStep | undefined> {
  const [updated] = await db
    .update(setupSteps)
    .set(row)
    .where(
      and(
        eq(setupSteps.tenantId, row.tenantId),
        eq(setupSteps.step, row.step),
        eq(setupSteps.source, "manual"),
      ),
    )
    .returning();
  return updated;
}

export async function deleteManualStep(
  db: Database,
  tenantId: string,
  step: string,
): Promise<SetupStep | undefined> {
  const [deleted] = await db
    .delete(setupSteps)
    .where(and(eq(setupSteps.tenantId, tenantId), eq(setupSteps.step, step), eq(setupSteps.source, "manual")))
    .returning();
  return deleted;
}

export async function findSetupStep(db: Database, tenantId: string, step: string) {
  const [row] = await db
    .select()
    .from(setupSteps)
    .where(and(eq(setupSteps.tenantId, tenantId), eq(setupSteps.step, step)))
    .limit(1);
  return row;
}

/** Active tenants with fewer than `total` steps proven by events: what the cron task evaluates. */
export async function tenantsWithOpenSteps(db: Database, total: number, limit: number) {
  const proven = db
    .select({ tenantId: setupSteps.tenantId, n: count().as("n") })
    .from(setupSteps)
    .where(eq(setupSteps.source, "event"))
    .groupBy(setupSteps.tenantId)
    .as("proven");
  return db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
    .from(tenants)
    .leftJoin(proven, eq(proven.tenantId, tenants.id))
    .where(and(eq(tenants.status, "active"), lt(sql`coalesce(${proven.n}, 0)`, total)))
    .orderBy(asc(tenants.createdAt))
    .limit(limit);
}

export async function setStepReceipt(db: Database, tenantId: string, step: string, receiptId: string) {
  await db
    .update(setupSteps)
    .set({ receiptId })
    .where(and(eq(setupSteps.tenantId, tenantId), eq(setupSteps.step, step)));
}
