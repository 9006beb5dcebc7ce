import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { type Tenant, tenants } from "../db/schema";

export async function findTenantBySlug(db: Database, slug: string): Promise<Tenant | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  return row;
}

export async function findTenantById(db: Database, id: string): Promise<Tenant | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
  return row;
}

export async function insertTenant(db: Database, tenant: typeof tenants.$inferInsert): Promise<Tenant> {
  const [row] = await db.insert(tenants).values(tenant).returning();
  if (!row) throw new Error("tenant insert returned no row");
  return row;
}

export async function updateTenantName(db: Database, id: string, name: string): Promise<Tenant | undefined> {
  const [row] = await db.update(tenants).set({ name }).where(eq(tenants.id, id)).returning();
  return row;
}

export async function updateTenantStatus(
  db: Database,
  id: string,
  status: Tenant["status"],
): Promise<Tenant | undefined> {
  const [row] = await db.update(tenants).set({ status }).where(eq(tenants.id, id)).returning();
  return row;
}
