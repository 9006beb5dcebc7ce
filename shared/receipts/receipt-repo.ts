/** Reads of the receipt log; every query is filtered by the tenant. */
import { and, asc, count, desc, eq, gt, gte, lt, lte, max, min, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { type Receipt, receipts } from "../db/schema";
import { rowsBefore } from "../pagination/keyset";

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
        before ? rowsBefore(receipts.occurredAt, receipts.seq, before.at, before.seq) : undefined,
      ),
    )
    .orderBy(desc(receipts.occurredAt), desc(receipts.seq))
    .limit(page.limit + 1);
}

export async function countReceipts(db: Database, tenantId: string, filter: ReceiptFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(receipts).where(filterWhere(tenantId, filter));
  return row?.n ?? 0;
}

/**
 * The first and last seq, below `belowSize`, of the receipts in a time range, and how many
 * seqs that span holds; null when none. The span is what an evidence export holds: every
 * receipt between the two, so a verifier can tell one is missing.
 */
export async function seqSpanInRange(
  db: Database,
  tenantId: string,
  filter: Pick<ReceiptFilter, "from" | "to">,
  belowSize: number,
): Promise<{ first: number; last: number } | null> {
  const [row] = await db
    .select({ first: min(receipts.seq), last: max(receipts.seq) })
    .from(receipts)
    .where(and(filterWhere(tenantId, filter), lt(receipts.seq, belowSize)));
  return row?.first == null || row.last == null ? null : { first: row.first, last: row.last };
}

/** Receipts seq `first` … `last` inclusive, oldest first. */
export async function receiptsInSeqSpan(
  db: Database,
  tenantId: string,
  span: { first: number; last: number },
): Promise<Receipt[]> {
  return db
    .select()
    .from(receipts)
    .where(and(eq(receipts.tenantId, tenantId), gte(receipts.seq, span.first), lte(receipts.seq, span.last)))
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
