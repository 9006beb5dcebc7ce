import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../db/client";
import { type ApiKey, apiKeys, type Tenant, tenants } from "../db/schema";

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
