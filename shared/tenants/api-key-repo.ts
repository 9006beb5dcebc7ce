import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../db/client";
import { type ApiKey, apiKeys, type Tenant, tenants } from "../db/schema";
import { olderThan } from "../pagination/keyset";

export async function insertApiKey(db: Database, key: typeof apiKeys.$inferInsert): Promise<ApiKey> {
  const [row] = await db.insert(apiKeys).values(key).returning();
  if (!row) throw new Error("api key insert returned no row");
  return row;
}

/** A live key and its tenant, by the hash of the presented secret. */
export async function findLiveKeyByHash(
  db: Database,
  secretHash: string,
): Promise<{ key: ApiKey; tenant: Tenant } | undefined> {
  const [row] = await db
    .select({ key: apiKeys, tenant: tenants })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(and(eq(apiKeys.secretHash, secretHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}

/** Records use at most once a minute per key, so reads do not turn into a write per request. */
export async function touchApiKey(db: Database, keyId: string, now: Date): Promise<void> {
  const staleBefore = new Date(now.getTime() - 60_000);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
}

/** Newest first, keyset-paginated; always within one tenant. */
export async function listApiKeys(
  db: Database,
  tenantId: string,
  options: { limit: number; after?: { at: Date; id: string } },
): Promise<ApiKey[]> {
  const after = options.after;
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), olderThan(apiKeys.createdAt, apiKeys.id, after)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(options.limit + 1);
}

export async function revokeApiKeyRow(
  db: Database,
  tenantId: string,
  id: string,
  at: Date,
): Promise<ApiKey | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return row;
}

export async function findApiKey(db: Database, tenantId: string, id: string): Promise<ApiKey | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)))
    .limit(1);
  return row;
}
