/** Request rollups: merged upserts from the recorder, range reads per tenant, pruning. */
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { type RequestRollup, requestRollups } from "../db/schema";

const t = requestRollups;

/** Adds each row to the stored one of its key (or stores it): counts add, histograms merge. */
export async function upsertRollups(
  db: Database,
  rows: (typeof requestRollups.$inferInsert)[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(t)
    .values(rows)
    .onConflictDoUpdate({
      target: [t.tenantId, t.minute, t.route, t.method],
      set: {
        count: sql`${t.count} + excluded.count`,
        status2xx: sql`${t.status2xx} + excluded.status_2xx`,
        status3xx: sql`${t.status3xx} + excluded.status_3xx`,
        status4xx: sql`${t.status4xx} + excluded.status_4xx`,
        status5xx: sql`${t.status5xx} + excluded.status_5xx`,
        latencySumMs: sql`${t.latencySumMs} + excluded.latency_sum_ms`,
        latencyMaxMs: sql`greatest(${t.latencyMaxMs}, excluded.latency_max_ms)`,
        histogram: sql`(select coalesce(jsonb_object_agg(k, coalesce((${t.histogram} ->> k)::bigint, 0) + coalesce((excluded.histogram ->> k)::bigint, 0)), '{}'::jsonb) from jsonb_object_keys(${t.histogram} || excluded.histogram) as k)`,
        bytesIn: sql`${t.bytesIn} + excluded.bytes_in`,
        bytesOut: sql`${t.bytesOut} + excluded.bytes_out`,
        receipts: sql`${t.receipts} + excluded.receipts`,
        lastRequestId: sql`excluded.last_request_id`,
        lastReceiptId: sql`coalesce(excluded.last_receipt_id, ${t.lastReceiptId})`,
      },
    });
}

export async function rollupsBetween(
  db: Database,
  tenantId: string,
  from: Date,
  to: Date,
): Promise<RequestRollup[]> {
  return db
    .select()
    .from(t)
    .where(and(eq(t.tenantId, tenantId), gte(t.minute, from), lt(t.minute, to)))
    .orderBy(asc(t.minute));
}

export async function deleteRollupsBefore(db: Database, before: Date): Promise<number> {
  const deleted = await db.delete(t).where(lt(t.minute, before)).returning({ minute: t.minute });
  return deleted.length;
}
