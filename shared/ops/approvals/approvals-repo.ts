import { and, asc, desc, eq, lte } from "drizzle-orm";
import type { Database } from "../../db/client";
import { type Approval, type ApprovalStatus, approvals } from "../../db/schema";
import type { Position } from "../../pagination/cursor";
import { olderThan } from "../../pagination/keyset";

export async function insertApproval(db: Database, row: typeof approvals.$inferInsert): Promise<Approval> {
  const [created] = await db.insert(approvals).values(row).returning();
  if (!created) throw new Error("approval insert returned no row");
  return created;
}

export async function findApproval(db: Database, tenantId: string, id: string, lock = false) {
  const query = db
    .select()
    .from(approvals)
    .where(and(eq(approvals.tenantId, tenantId), eq(approvals.id, id)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

/** Moves a pending approval to its decision; undefined when it is no longer pending. */
export async function settleApproval(
  db: Database,
  tenantId: string,
  id: string,
  patch: Partial<typeof approvals.$inferInsert>,
): Promise<Approval | undefined> {
  const [row] = await db
    .update(approvals)
    .set(patch)
    .where(and(eq(approvals.tenantId, tenantId), eq(approvals.id, id), eq(approvals.status, "pending")))
    .returning();
  return row;
}

export async function listApprovalRows(
  db: Database,
  tenantId: string,
  options: { limit: number; after?: Position; status?: ApprovalStatus },
) {
  const { after } = options;
  return db
    .select()
    .from(approvals)
    .where(
      and(
        eq(approvals.tenantId, tenantId),
        options.status ? eq(approvals.status, options.status) : undefined,
        olderThan(approvals.createdAt, approvals.id, after),
      ),
    )
    .orderBy(desc(approvals.createdAt), desc(approvals.id))
    .limit(options.limit + 1);
}

/** Pending approvals past their expiry, any tenant, oldest first. */
export async function dueApprovals(db: Database, now: Date, limit: number) {
  return db
    .select()
    .from(approvals)
    .where(and(eq(approvals.status, "pending"), lte(approvals.expiresAt, now)))
    .orderBy(asc(approvals.expiresAt))
    .limit(limit);
}
