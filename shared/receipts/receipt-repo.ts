/** Reads of the receipt log; every query is filtered by the tenant. */
import { and, asc, count, desc, eq, gt, gte, lt, or, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { type Receipt, receipts } from "../db/schema";

export interface ReceiptFilter {
  kind?: string;
  actor?: string;
  subject?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

function filterWhere(tenantId: string, filter: ReceiptFilter): SQL | undefined {
  return and(
    eq(receipts.tenantId, tenantId),
    filter.kind !== undefined ? eq(receipts.kind, filter.kind) : undefined,
    filter.actor !== undefined ? eq(receipts.actor, filter.actor) : undefined,
    filter.subject !== undefined ? eq(receipts.subject, filter.subject) : undefined,
    filter.from ? gte(receipts.occurredAt, filter.from) : undefined,
    filter.to ? lt(receipts.occurredAt, filter.to) : undefined,
  );
}

/** Newest first by (occurred_at, seq), keyset after `before`; takes `limit + 1` to tell if more exist. */
export async function listReceipts(
  db: Database,
  tenantId: string,
  filter: ReceiptFilter,
  page: { limit: number; before?: { at: Date; seq: number } },
): Promise<Receipt[]> {
  const before = page.before;
  return db
    .select()
    .from(receipts)
    .where(
      and(
        filterWhere(tenantId, filter),
        before
          ? or(
              lt(receipts.occurredAt, before.at),
              and(eq(receipts.occurredAt, before.at), lt(receipts.seq, before.seq)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(receipts.occurredAt), desc(receipts.seq))
    .limit(page.limit + 1);
}

export async function countReceipts(db: Database, tenantId: string, filter: ReceiptFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(receipts).where(filterWhere(tenantId, filter));
  return row?.n ?? 0;
}

/** Receipts in a time range that are inside the first `treeSize` entries, oldest first. */
export async function receiptsInRange(
  db: Database,
  tenantId: string,
  filter: ReceiptFilter,
  treeSize: number,
): Promise<Receipt[]> {
  return db
    .select()
    .from(receipts)
    .where(and(filterWhere(tenantId, filter), lt(receipts.seq, treeSize)))
    .orderBy(asc(receipts.seq));
}

/** Leaf hashes (hex) of seq 0 … size-1 with their seq, in order: what proofs are built from. */
export async function leafHashesUpTo(db: Database, tenantId: string, size: number) {
  return db
    .select({ seq: receipts.seq, leafHash: receipts.leafHash })
    .from(receipts)
    .where(and(eq(receipts.tenantId, tenantId), lt(receipts.seq, size)))
    .orderBy(asc(receipts.seq));
}

/** One page of the log in seq order, for a full verification scan. */
export async function receiptsAfter(
  db: Database,
  tenantId: string,
  afterSeq: number,
  limit: number,
): Promise<Receipt[]> {
  return db
    .select()
    .from(receipts)
    .where(and(eq(receipts.tenantId, tenantId), gt(receipts.seq, afterSeq)))
    .orderBy(asc(receipts.seq))
    .limit(limit);
}
