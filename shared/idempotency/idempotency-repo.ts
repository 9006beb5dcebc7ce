/** idempotency_keys: always within one tenant. */
import { and, eq, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { type IdempotencyKeyRow, idempotencyKeys } from "../db/schema";

/**
 * Takes the key for a request: a new key, an expired one, or an in-flight one whose request
 * died (lock lapsed, same fingerprint). Undefined when the key is held: read it and decide.
 */
export async function claimKey(
  db: Database,
  row: { tenantId: string; key: string; fingerprint: string; now: Date; lockedUntil: Date; expiresAt: Date },
): Promise<IdempotencyKeyRow | undefined> {
  const values = {
    tenantId: row.tenantId,
    key: row.key,
    fingerprint: row.fingerprint,
    status: "in_flight" as const,
    lockedUntil: row.lockedUntil,
    createdAt: row.now,
    expiresAt: row.expiresAt,
  };
  const [claimed] = await db
    .insert(idempotencyKeys)
    .values(values)
    .onConflictDoUpdate({
      target: [idempotencyKeys.tenantId, idempotencyKeys.key],
      set: { ...values, responseStatus: null, responseHeaders: null, responseBody: null },
      setWhere: or(
        lt(idempotencyKeys.expiresAt, row.now),
        and(
          eq(idempotencyKeys.status, "in_flight"),
          lt(idempotencyKeys.lockedUntil, row.now),
          eq(idempotencyKeys.fingerprint, sql`excluded.fingerprint`),
        ),
      ),
    })
    .returning();
  return claimed;
}

export async function findKey(db: Database, tenantId: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)))
    .limit(1);
  return row;
}

export async function storeResponse(
  db: Database,
  tenantId: string,
  key: string,
  response: { status: number; headers: Record<string, string>; body: string },
) {
  await db
    .update(idempotencyKeys)
    .set({
      status: "done",
      responseStatus: response.status,
      responseHeaders: response.headers,
      responseBody: response.body,
    })
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
}

/** Frees a key whose request failed on our side (5xx), so the client's retry runs again. */
export async function releaseKey(db: Database, tenantId: string, key: string, fingerprint: string) {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.tenantId, tenantId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.fingerprint, fingerprint),
        eq(idempotencyKeys.status, "in_flight"),
      ),
    );
}

/** The housekeeping cron: deletes up to `limit` keys past `expires_at` (any tenant); returns how many. */
export async function deleteExpiredKeys(db: Database, now: Date, limit: number): Promise<number> {
  const expired = db
    .select({ tenantId: idempotencyKeys.tenantId, key: idempotencyKeys.key })
    .from(idempotencyKeys)
    .where(lt(idempotencyKeys.expiresAt, now))
    .limit(limit);
  const deleted = await db
    .delete(idempotencyKeys)
    .where(
      and(
        lt(idempotencyKeys.expiresAt, now),
        sql`(${idempotencyKeys.tenantId}, ${idempotencyKeys.key}) in (${expired})`,
      ),
    )
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
