import { and, asc, desc, eq, gte, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { type Tenant, type TenantDomain, tenantDomains, tenants } from "../db/schema";
import { olderThan } from "../pagination/keyset";

export async function insertDomain(
  db: Database,
  row: typeof tenantDomains.$inferInsert,
): Promise<TenantDomain> {
  const [created] = await db.insert(tenantDomains).values(row).onConflictDoNothing().returning();
  if (!created) throw new DomainTakenError();
  return created;
}

/** Thrown when this tenant has registered the host already. */
export class DomainTakenError extends Error {}

/**
 * Host resolution: the one lookup not scoped by tenant, because the host is what names the
 * tenant. Only a verified domain names one: a pending claim routes nothing.
 */
export async function findVerifiedDomainByHost(
  db: Database,
  host: string,
): Promise<{ domain: TenantDomain; tenant: Tenant } | undefined> {
  const [row] = await db
    .select({ domain: tenantDomains, tenant: tenants })
    .from(tenantDomains)
    .innerJoin(tenants, eq(tenants.id, tenantDomains.tenantId))
    .where(and(eq(tenantDomains.host, host), eq(tenantDomains.status, "verified")))
    .limit(1);
  return row;
}

/** Another tenant's verified claim on the host, locked until the caller's transaction ends. */
export async function lockVerifiedHolder(
  db: Database,
  host: string,
  exceptTenantId: string,
): Promise<TenantDomain | undefined> {
  const [row] = await db
    .select()
    .from(tenantDomains)
    .where(
      and(
        eq(tenantDomains.host, host),
        eq(tenantDomains.status, "verified"),
        ne(tenantDomains.tenantId, exceptTenantId),
      ),
    )
    .limit(1)
    .for("update");
  return row;
}

export async function findDomain(
  db: Database,
  tenantId: string,
  host: string,
): Promise<TenantDomain | undefined> {
  const [row] = await db
    .select()
    .from(tenantDomains)
    .where(and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.host, host)))
    .limit(1);
  return row;
}

/** Newest first, keyset-paginated by (created_at, host); always within one tenant. */
export async function listDomains(
  db: Database,
  tenantId: string,
  options: { limit: number; after?: { at: Date; id: string } },
): Promise<TenantDomain[]> {
  const after = options.after;
  return db
    .select()
    .from(tenantDomains)
    .where(
      and(
        eq(tenantDomains.tenantId, tenantId),
        olderThan(tenantDomains.createdAt, tenantDomains.host, after),
      ),
    )
    .orderBy(desc(tenantDomains.createdAt), desc(tenantDomains.host))
    .limit(options.limit + 1);
}

export async function deleteDomain(
  db: Database,
  tenantId: string,
  host: string,
): Promise<TenantDomain | undefined> {
  const [row] = await db
    .delete(tenantDomains)
    .where(and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.host, host)))
    .returning();
  return row;
}

const one = (tenantId: string, host: string) =>
  and(eq(tenantDomains.tenantId, tenantId), eq(tenantDomains.host, host));

/** pending → verified; undefined when the row is not pending (any more). */
export async function markVerified(
  db: Database,
  domain: Pick<TenantDomain, "tenantId" | "host">,
  at: Date,
): Promise<TenantDomain | undefined> {
  const [row] = await db
    .update(tenantDomains)
    .set({ status: "verified", verifiedAt: at, checkedAt: at, checkProblem: null })
    .where(and(one(domain.tenantId, domain.host), eq(tenantDomains.status, "pending")))
    .returning();
  return row;
}

/** verified → pending, with why; undefined when the row was not verified. */
export async function markPending(
  db: Database,
  domain: Pick<TenantDomain, "tenantId" | "host">,
  at: Date,
  problem: string,
): Promise<TenantDomain | undefined> {
  const [row] = await db
    .update(tenantDomains)
    .set({ status: "pending", verifiedAt: null, checkedAt: at, checkProblem: problem })
    .where(and(one(domain.tenantId, domain.host), eq(tenantDomains.status, "verified")))
    .returning();
  return row;
}

/** A check that changed no state: when it ran and what it found wanting (null when all was well). */
export async function recordCheck(
  db: Database,
  domain: Pick<TenantDomain, "tenantId" | "host">,
  at: Date,
  problem: string | null,
): Promise<TenantDomain | undefined> {
  const [row] = await db
    .update(tenantDomains)
    .set({ checkedAt: at, checkProblem: problem })
    .where(one(domain.tenantId, domain.host))
    .returning();
  return row;
}

/**
 * Domains the cron re-checks, least recently checked first: every verified one, and pending
 * ones created since `pendingSince` (an abandoned claim is not looked up for ever).
 */
export async function domainsDueForCheck(
  db: Database,
  options: { checkedBefore: Date; pendingSince: Date; limit: number },
): Promise<TenantDomain[]> {
  return db
    .select()
    .from(tenantDomains)
    .where(
      and(
        or(isNull(tenantDomains.checkedAt), lt(tenantDomains.checkedAt, options.checkedBefore)),
        or(eq(tenantDomains.status, "verified"), gte(tenantDomains.createdAt, options.pendingSince)),
      ),
    )
    .orderBy(sql`${tenantDomains.checkedAt} asc nulls first`, asc(tenantDomains.host))
    .limit(options.limit);
}
