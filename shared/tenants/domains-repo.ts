import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Database } from "../db/client";
import { type Tenant, type TenantDomain, tenantDomains, tenants } from "../db/schema";

export async function insertDomain(
  db: Database,
  row: typeof tenantDomains.$inferInsert,
): Promise<TenantDomain> {
  const [created] = await db.insert(tenantDomains).values(row).onConflictDoNothing().returning();
  if (!created) throw new DomainTakenError();
  return created;
}

/** Thrown when the host is registered already (by this tenant or another). */
export class DomainTakenError extends Error {}

/** Host resolution: the one lookup not scoped by tenant, because the host is what names the tenant. */
export async function findDomainByHost(
  db: Database,
  host: string,
): Promise<{ domain: TenantDomain; tenant: Tenant } | undefined> {
  const [row] = await db
    .select({ domain: tenantDomains, tenant: tenants })
    .from(tenantDomains)
    .innerJoin(tenants, eq(tenants.id, tenantDomains.tenantId))
    .where(eq(tenantDomains.host, host))
    .limit(1);
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
        after
          ? or(
              lt(tenantDomains.createdAt, after.at),
              and(eq(tenantDomains.createdAt, after.at), lt(tenantDomains.host, after.id)),
            )
          : undefined,
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
