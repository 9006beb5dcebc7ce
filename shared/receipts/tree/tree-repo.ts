/** SQL for the stored Merkle tree: node rows, and runs of leaves read from the receipts. */
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { executeNamed } from "../../db/named-query";
import { receiptLogs, receipts, receiptTreeNodes } from "../../db/schema";
import type { TreeNode } from "./stored-levels";

/** Indexes `from` … `to − 1` of one level (level 0: the leaves, by seq). */
export interface NodeRange {
  level: number;
  from: number;
  to: number;
}

export const nodeKey = (level: number, idx: number): string => `${level}:${idx}`;

/**
 * The hashes (hex) found in the ranges, keyed `level:idx`, in one round trip. Absent rows
 * are absent. One statement text whatever the ranges (the wanted keys are JSON parameters),
 * run as a named prepared statement, planned once per connection (ranges spelled out as ORs
 * cost ~15 ms to plan). Exact keys, not ranges: the planner then expects one row per key,
 * where a range with parameter bounds is costed as thousands of rows at a million receipts
 * and the plan crosses the JIT threshold (~1 s of compiling for a 1 ms query).
 */
export async function readNodeRanges(
  db: Database,
  tenantId: string,
  ranges: NodeRange[],
): Promise<Map<string, string>> {
  const seqs: number[] = [];
  const nodes: { level: number; idx: number }[] = [];
  for (const r of ranges) {
    for (let i = r.from; i < r.to; i++) {
      if (r.level === 0) seqs.push(i);
      else nodes.push({ level: r.level, idx: i });
    }
  }
  const result = await executeNamed(
    db,
    "receipt_tree_read_keys",
    sql`select 0 as level, l.seq as idx, l.leaf_hash as hash from receipts l
    where l.tenant_id = ${tenantId} and l.seq in (select value::bigint from json_array_elements_text(${JSON.stringify(seqs)}::json))
    union all
    select t.level, t.idx, t.hash from json_to_recordset(${JSON.stringify(nodes)}::json) as k (level smallint, idx bigint)
    join receipt_tree_nodes t on t.tenant_id = ${tenantId} and t.level = k.level and t.idx = k.idx`,
  );
  const rows = (result as { rows?: { level: unknown; idx: unknown; hash: string }[] }).rows ?? [];
  return new Map(rows.map((row) => [nodeKey(Number(row.level), Number(row.idx)), row.hash]));
}

/** Stores nodes; one already stored is kept (a node, once complete, never changes). */
export async function insertTreeNodes(db: Database, nodes: TreeNode[]): Promise<void> {
  for (let i = 0; i < nodes.length; i += 5000) {
    await db
      .insert(receiptTreeNodes)
      .values(nodes.slice(i, i + 5000))
      .onConflictDoNothing();
  }
}

/** Leaf hashes (hex) of seq `from` … `to − 1` with their seq, in order. */
export async function leafHashesBetween(db: Database, tenantId: string, from: number, to: number) {
  return db
    .select({ seq: receipts.seq, leafHash: receipts.leafHash })
    .from(receipts)
    .where(and(eq(receipts.tenantId, tenantId), gte(receipts.seq, from), lt(receipts.seq, to)))
    .orderBy(asc(receipts.seq));
}

/** Below which seq the tenant's tree nodes are still to be built (0: all stored; no log: 0). */
export async function treeMissingBelow(db: Database, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ below: receiptLogs.treeMissingBelow })
    .from(receiptLogs)
    .where(eq(receiptLogs.tenantId, tenantId));
  return row?.below ?? 0;
}

/** Marks the tree built below `below` (unless another reader did already). */
export async function markTreeBuilt(db: Database, tenantId: string, below: number): Promise<void> {
  await db
    .update(receiptLogs)
    .set({ treeMissingBelow: 0 })
    .where(and(eq(receiptLogs.tenantId, tenantId), eq(receiptLogs.treeMissingBelow, below)));
}
