/**
 * SQL for appending to a tenant's log. An append is: lock the head row (one
 * round trip), then insert the receipt and advance the head in one statement
 * (a data-modifying CTE), then commit. The head row lock serialises appends per
 * tenant, so seq is gap-free and the chain never forks; tenants do not contend.
 */
import { and, eq, sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Database } from "../db/client";
import { type Receipt, type ReceiptLog, receiptLogs, receipts } from "../db/schema";
import { genesisChain } from "./receipt-digest";

export type LogHead = Pick<ReceiptLog, "size" | "chain" | "frontier" | "rootHash">;

/** `SELECT … FOR UPDATE` of the head: waits for any append in flight, then holds the tenant's log. */
export async function lockLogHead(db: Database, tenantId: string): Promise<LogHead | undefined> {
  const [head] = await db
    .select({
      size: receiptLogs.size,
      chain: receiptLogs.chain,
      frontier: receiptLogs.frontier,
      rootHash: receiptLogs.rootHash,
    })
    .from(receiptLogs)
    .where(eq(receiptLogs.tenantId, tenantId))
    .for("update");
  return head;
}

/** First append of a tenant: creates the empty head. Concurrent creators wait on the key, then do nothing. */
export async function createLogHead(db: Database, tenantId: string, emptyRoot: string, at: Date) {
  await db
    .insert(receiptLogs)
    .values({ tenantId, size: 0, chain: genesisChain, frontier: [], rootHash: emptyRoot, updatedAt: at })
    .onConflictDoNothing({ target: receiptLogs.tenantId });
}

/**
 * Inserts the receipt and moves the head in one round trip. Returns false when a
 * receipt with this id already exists (committed by an earlier append): then
 * nothing is written and the head stays where it was.
 */
export async function insertAndAdvance(db: Database, row: Receipt, head: LogHead & { updatedAt: Date }) {
  const insert = db
    .insert(receipts)
    .values(row)
    .onConflictDoNothing({ target: [receipts.tenantId, receipts.id] })
    .returning({ seq: receipts.seq });
  const advance = db
    .update(receiptLogs)
    .set(head)
    .where(and(eq(receiptLogs.tenantId, row.tenantId), sql`exists (select 1 from inserted)`))
    .returning({ size: receiptLogs.size });
  const result = await db.execute(sql`with inserted as (${insert.getSQL()}) ${advance.getSQL()}`);
  return rowsOf(result).length === 1;
}

/**
 * Inserts several receipts and moves the head, in one round trip. No ON CONFLICT
 * here: a receipt that already exists raises unique_violation and the caller
 * retries the batch one by one, so a skipped row can never leave a gap.
 */
export async function insertManyAndAdvance(
  db: Database,
  rows: Receipt[],
  head: LogHead & { updatedAt: Date },
) {
  const [first] = rows;
  if (!first) return;
  const insert = db.insert(receipts).values(rows).returning({ seq: receipts.seq });
  const advance = db
    .update(receiptLogs)
    .set(head)
    .where(and(eq(receiptLogs.tenantId, first.tenantId), sql`exists (select 1 from inserted)`));
  await db.execute(sql`with inserted as (${insert.getSQL()}) ${advance.getSQL()}`);
}

/**
 * The one-statement append, for a writer that knows the head it last wrote: moves
 * the head only if it is still `expected` (compare-and-set on size and chain, which
 * takes the head row lock for the statement), and inserts the rows only if it did.
 * Head first, rows second: the same lock order as the locking path, so the two
 * cannot deadlock. Autocommit: one round trip in all. Returns false when the head
 * has moved (another writer appended); raises unique_violation if a row exists.
 */
export async function insertIfHeadIs(
  db: Database,
  rows: Receipt[],
  expected: Pick<LogHead, "size" | "chain">,
  next: LogHead & { updatedAt: Date },
): Promise<boolean> {
  const [first] = rows;
  if (!first) return true;
  const advance = db
    .update(receiptLogs)
    .set(next)
    .where(
      and(
        eq(receiptLogs.tenantId, first.tenantId),
        eq(receiptLogs.size, expected.size),
        eq(receiptLogs.chain, expected.chain),
      ),
    )
    .returning({ size: receiptLogs.size });
  const values = rows.map(
    (r) =>
      sql`(${r.tenantId}, ${r.seq}::bigint, ${r.id}, ${r.kind}, ${r.actor}, ${r.subject}, ${r.inputDigest}, ${r.outputDigest}::text, ${r.decisionId}::text, ${JSON.stringify(r.links)}::jsonb, ${JSON.stringify(r.details)}::jsonb, ${r.occurredAt.toISOString()}::timestamptz, ${r.digest}, ${r.leafHash}, ${r.chain})`,
  );
  const result = await db.execute(sql`with advanced as (${advance.getSQL()})
    insert into receipts (tenant_id, seq, id, kind, actor, subject, input_digest, output_digest, decision_id, links, details, occurred_at, digest, leaf_hash, chain)
    select * from (values ${sql.join(values, sql`, `)}) as v
    where exists (select 1 from advanced)
    returning seq`);
  return rowsOf(result).length === rows.length;
}

/** True inside `db.transaction(…)`: an append must then join the caller's transaction. */
export const isTransaction = (db: Database): boolean => db instanceof PgTransaction;

export async function findReceipt(db: Database, tenantId: string, id: string): Promise<Receipt | undefined> {
  const [row] = await db
    .select()
    .from(receipts)
    .where(and(eq(receipts.tenantId, tenantId), eq(receipts.id, id)))
    .limit(1);
  return row;
}

/** Read without locking: the head a reader sees always matches the receipts committed with it. */
export async function readLogHead(db: Database, tenantId: string): Promise<LogHead | undefined> {
  const [head] = await db
    .select({
      size: receiptLogs.size,
      chain: receiptLogs.chain,
      frontier: receiptLogs.frontier,
      rootHash: receiptLogs.rootHash,
    })
    .from(receiptLogs)
    .where(eq(receiptLogs.tenantId, tenantId));
  return head;
}

/** `db.execute` returns the driver's result; node-postgres, PGlite and Neon all carry `rows`. */
function rowsOf(result: unknown): unknown[] {
  const rows = (result as { rows?: unknown[] }).rows;
  if (!Array.isArray(rows)) throw new Error("the database driver returned no rows array");
  return rows;
}

/** Postgres unique_violation (23505), whether the driver error is bare or wrapped by drizzle. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
