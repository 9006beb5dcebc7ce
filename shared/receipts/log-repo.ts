/**
 * SQL for appending to a tenant's log. An append is: lock the head row (one
 * round trip), then insert the receipt and advance the head in one statement
 * (a data-modifying CTE), then commit; or, for a writer that knows the heads it
 * last wrote, one compare-and-set statement for many tenants at once. The head
 * row lock serialises appends per tenant, so seq is gap-free and the chain never
 * forks; tenants do not contend.
 */
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Database } from "../db/client";
import { executeNamed } from "../db/named-query";
import { type Receipt, type ReceiptLog, receiptLogs, receipts } from "../db/schema";
import { genesisChain } from "./receipt-digest";
import type { TreeNode } from "./tree/stored-levels";

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
 * The tree nodes the new rows complete, as a CTE that writes them only if the rows were
 * inserted (`inserted` names the receipts' insert). A node already stored is kept.
 */
function insertNodesCte(nodes: TreeNode[]): SQL {
  return sql`, nodes as (
    insert into receipt_tree_nodes (tenant_id, level, idx, hash)
    select "tenantId", level, idx, hash
    from json_to_recordset(${JSON.stringify(nodes)}::json) as n ("tenantId" text, level smallint, idx bigint, hash text)
    where exists (select 1 from inserted)
    on conflict do nothing
  )`;
}

/**
 * Inserts the receipt, the tree nodes it completes, and moves the head in one round
 * trip. Returns false when a receipt with this id already exists (committed by an
 * earlier append): then nothing is written and the head stays where it was.
 */
export async function insertAndAdvance(
  db: Database,
  row: Receipt,
  head: LogHead & { updatedAt: Date },
  nodes: TreeNode[],
) {
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
  const withNodes = nodes.length > 0 ? insertNodesCte(nodes) : sql``;
  const result = await db.execute(sql`with inserted as (${insert.getSQL()})${withNodes} ${advance.getSQL()}`);
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
  nodes: TreeNode[],
) {
  const [first] = rows;
  if (!first) return;
  const insert = db.insert(receipts).values(rows).returning({ seq: receipts.seq });
  const advance = db
    .update(receiptLogs)
    .set(head)
    .where(and(eq(receiptLogs.tenantId, first.tenantId), sql`exists (select 1 from inserted)`));
  const withNodes = nodes.length > 0 ? insertNodesCte(nodes) : sql``;
  await db.execute(sql`with inserted as (${insert.getSQL()})${withNodes} ${advance.getSQL()}`);
}

/** One tenant's part of a compare-and-set append: its new rows, the head it expects, the head they make, the tree nodes they complete. */
export interface HeadMove {
  rows: Receipt[];
  expected: Pick<LogHead, "size" | "chain">;
  next: LogHead & { updatedAt: Date };
  nodes: TreeNode[];
}

/**
 * The one-statement append, for a writer that knows the heads it last wrote, for
 * any number of tenants at once: locks each tenant's head if it is still the
 * expected one (compare-and-set on size and chain) and free, moves it, and inserts
 * that tenant's rows. A head another transaction holds is skipped, not waited for,
 * so one tenant's long transaction never holds up the others' appends. Heads
 * first, rows second: the same lock order as the locking path; heads are locked in
 * tenant order. The tree nodes the rows complete are written in the same statement.
 * Autocommit: one round trip and one commit for all. Returns the
 * tenants whose heads moved (the others: another writer appended or holds the
 * lock); raises unique_violation if a row exists.
 */
export async function insertIfHeadsAre(db: Database, moves: HeadMove[]): Promise<Set<string>> {
  const heads = [];
  const rows = [];
  const nodes = [];
  for (const { rows: tenantRows, expected, next, nodes: tenantNodes } of moves) {
    const tenantId = tenantRows[0]?.tenantId;
    if (!tenantId) continue;
    heads.push({
      tenantId,
      size: expected.size,
      chain: expected.chain,
      nextSize: next.size,
      nextChain: next.chain,
      nextFrontier: next.frontier,
      nextRoot: next.rootHash,
      nextAt: next.updatedAt,
    });
    for (const r of tenantRows) rows.push(r);
    for (const n of tenantNodes) nodes.push(n);
  }
  if (heads.length === 0) return new Set();
  // Three parameters whatever the batch: JSON records, not a VALUES list of 15 per row.
  const result = await executeNamed(
    db,
    "receipts_insert_if_heads_are",
    sql`with expected as (
      select * from json_to_recordset(${JSON.stringify(heads)}::json)
        as e ("tenantId" text, size bigint, chain text, "nextSize" bigint, "nextChain" text, "nextFrontier" jsonb,
          "nextRoot" text, "nextAt" timestamptz)
    ), locked as (
      select l.tenant_id from receipt_logs l join expected e on l.tenant_id = e."tenantId"
      where l.size = e.size and l.chain = e.chain
      order by l.tenant_id
      for update of l skip locked
    ), advanced as (
      update receipt_logs l
      set size = e."nextSize", chain = e."nextChain", frontier = e."nextFrontier", root_hash = e."nextRoot",
        updated_at = e."nextAt"
      from expected e join locked k on k.tenant_id = e."tenantId"
      where l.tenant_id = e."tenantId"
      returning l.tenant_id
    ), nodes as (
      insert into receipt_tree_nodes (tenant_id, level, idx, hash)
      select "tenantId", level, idx, hash
      from json_to_recordset(${JSON.stringify(nodes)}::json) as n ("tenantId" text, level smallint, idx bigint, hash text)
      where n."tenantId" in (select tenant_id from advanced)
      on conflict do nothing
    )
    insert into receipts (tenant_id, seq, id, kind, actor, subject, input_digest, output_digest, decision_id, links, details, occurred_at, digest, leaf_hash, chain)
    select "tenantId", seq, id, kind, actor, subject, "inputDigest", "outputDigest", "decisionId", links, details, "occurredAt", digest, "leafHash", chain
    from json_to_recordset(${JSON.stringify(rows)}::json)
      as v ("tenantId" text, seq bigint, id text, kind text, actor text, subject text, "inputDigest" text, "outputDigest" text,
        "decisionId" text, links jsonb, details jsonb, "occurredAt" timestamptz, digest text, "leafHash" text, chain text)
    where v."tenantId" in (select tenant_id from advanced)
    returning tenant_id`,
  );
  return new Set(rowsOf(result).map((row) => (row as { tenant_id: string }).tenant_id));
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

/** The heads of several tenants' logs, read without locking (a tenant with no log yet is absent). */
export async function readLogHeads(db: Database, tenantIds: string[]): Promise<Map<string, LogHead>> {
  if (tenantIds.length === 0) return new Map();
  const rows = await db
    .select({
      tenantId: receiptLogs.tenantId,
      size: receiptLogs.size,
      chain: receiptLogs.chain,
      frontier: receiptLogs.frontier,
      rootHash: receiptLogs.rootHash,
    })
    .from(receiptLogs)
    .where(inArray(receiptLogs.tenantId, tenantIds));
  return new Map(rows.map(({ tenantId, ...head }) => [tenantId, head]));
}

/** `db.execute` returns the driver's result; node-postgres, PGlite and Neon all carry `rows`. */
function rowsOf(result: unknown): unknown[] {
  const rows = (result as { rows?: unknown[] }).rows;
  if (!Array.isArray(rows)) throw new Error("the database driver returned no rows array");
  return rows;
}
