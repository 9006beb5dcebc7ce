import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { type IdpSettings, idpSettings, type Tenant, tenants } from "../db/schema";

export type IdpValues = Pick<IdpSettings, "issuer" | "audience" | "jwksUrl" | "matchBy">;

export async function findIdp(db: Database, tenantId: string): Promise<IdpSettings | undefined> {
  const [row] = await db.select().from(idpSettings).where(eq(idpSettings.tenantId, tenantId)).limit(1);
  return row;
}

export async function upsertIdp(
  db: Database,
  tenantId: string,
  values: IdpValues,
  at: Date,
): Promise<IdpSettings> {
  const [row] = await db
    .insert(idpSettings)
    .values({ tenantId, ...values, updatedAt: at })
    .onConflictDoUpdate({ target: idpSettings.tenantId, set: { ...values, updatedAt: at } })
    .returning();
  if (!row) throw new Error("idp upsert returned no row");
  return row;
}

export async function deleteIdp(db: Database, tenantId: string): Promise<IdpSettings | undefined> {
  const [row] = await db.delete(idpSettings).where(eq(idpSettings.tenantId, tenantId)).returning();
  return row;
}

/** Token routing when nothing else names the tenant: every tenant whose IdP has this issuer. */
export async function findIdpsByIssuer(
  db: Database,
  issuer: string,
): Promise<{ idp: IdpSettings; tenant: Tenant }[]> {
  return db
    .select({ idp: idpSettings, tenant: tenants })
    .from(idpSettings)
    .innerJoin(tenants, eq(tenants.id, idpSettings.tenantId))
    .where(eq(idpSettings.issuer, issuer))
    .limit(10);
}
