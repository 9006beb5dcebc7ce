import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { apiKeys, operators, type PolicyException, policyExceptions } from "../db/schema";
import { olderThan } from "../pagination/keyset";

export async function insertException(
  db: Database,
  row: typeof policyExceptions.$inferInsert,
): Promise<PolicyException> {
  const [inserted] = await db.insert(policyExceptions).values(row).returning();
  if (!inserted) throw new Error("policy exception insert returned no row");
  return inserted;
}

/** The live exception for exactly this principal and action, on this resource or on any; specific first. */
export async function findLiveException(
  db: Database,
  q: { tenantId: string; principal: string; action: string; resource: string; now: Date },
): Promise<PolicyException | undefined> {
  const [row] = await db
    .select()
    .from(policyExceptions)
    .where(
      and(
        eq(policyExceptions.tenantId, q.tenantId),
        eq(policyExceptions.action, q.action),
        eq(policyExceptions.principal, q.principal),
        or(eq(policyExceptions.resource, q.resource), isNull(policyExceptions.resource)),
        isNull(policyExceptions.revokedAt),
        gt(policyExceptions.expiresAt, q.now),
      ),
    )
    .orderBy(sql`${policyExceptions.resource} is null`, desc(policyExceptions.createdAt))
    .limit(1);
  return row;
}

/** Newest first, keyset-paginated; always within one tenant. */
export async function listExceptions(
  db: Database,
  tenantId: string,
  options: { limit: number; after?: { at: Date; id: string } },
): Promise<PolicyException[]> {
  const after = options.after;
  return db
    .select()
    .from(policyExceptions)
    .where(
      and(
        eq(policyExceptions.tenantId, tenantId),
        olderThan(policyExceptions.createdAt, policyExceptions.id, after),
      ),
    )
    .orderBy(desc(policyExceptions.createdAt), desc(policyExceptions.id))
    .limit(options.limit + 1);
}

export async function findException(
  db: Database,
  tenantId: string,
  id: string,
): Promise<PolicyException | undefined> {
  const [row] = await db
    .select()
    .from(policyExceptions)
    .where(and(eq(policyExceptions.tenantId, tenantId), eq(policyExceptions.id, id)))
    .limit(1);
  return row;
}

export async function revokeExceptionRow(
  db: Database,
  tenantId: string,
  id: string,
  at: Date,
): Promise<PolicyException | undefined> {
  const [row] = await db
    .update(policyExceptions)
    .set({ revokedAt: at })
    .where(
      and(
        eq(policyExceptions.tenantId, tenantId),
        eq(policyExceptions.id, id),
        isNull(policyExceptions.revokedAt),
      ),
    )
    .returning();
  return row;
}

export async function setExceptionReceipt(db: Database, tenantId: string, id: string, receiptId: string) {
  await db
    .update(policyExceptions)
    .set({ receiptId })
    .where(and(eq(policyExceptions.tenantId, tenantId), eq(policyExceptions.id, id)));
}

/** Whether an API key or operator with this id belongs to the tenant (exceptions name only those). */
export async function principalInTenant(
  db: Database,
  tenantId: string,
  principal: { type: "ApiKey" | "Operator"; id: string },
): Promise<boolean> {
  const table = principal.type === "ApiKey" ? apiKeys : operators;
  const [row] = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.tenantId, tenantId), eq(table.id, principal.id)))
    .limit(1);
  return row !== undefined;
}
