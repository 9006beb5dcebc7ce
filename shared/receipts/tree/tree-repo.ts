/** SQL for the stored Merkle tree: node rows, and runs of leaves read from the receipts. */
import { and, asc, eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { receiptLogs, receipts, receiptTreeNodes } from "../../db/schema";
import type { TreeNode } from "./stored-levels";

/** Indexes `from` … `to − 1` of one level (level 0: the leaves, by seq). */
export interface NodeRange {
  level: number;
  from: number;
  to: number;
}

export const nodeKey = (level: number, idx: number): string => `${level}:${idx}`;

/** The hashes (hex) found in the ranges, keyed `level:idx`, in one round trip. Absent rows are absent. */
export async function readNodeRanges(
  db: Database,
  tenantId: string,
  ranges: NodeRange[],
): Promise<Map<string, string>> {
  const leafRanges = ranges.filter((r) => r.level === 0);
  const nodeRanges = ranges.filter((r) => r.level > 0);
  const anyOf = (conditions: (SQL | undefined)[]) => (conditions.length > 0 ? or(...conditions) : sql`false`);
  const leaves = db
    .select({ level: sql<number>`0::smallint`.mapWith(Number), idx: receipts.seq, hash: receipts.leafHash })
    .from(receipts)
    .where(
      and(
        eq(receipts.tenantId, tenantId),
        anyOf(leafRanges.map((r) => and(gte(receipts.seq, r.from), lt(receipts.seq, r.to)))),
      ),
    );
  const nodes = db
    .select({ level: receiptTreeNodes.level, idx: receiptTreeNodes.idx, hash: receiptTreeNodes.hash })
    .from(receiptTreeNodes)
    .where(
      and(
        eq(receiptTreeNodes.tenantId, tenantId),
        anyOf(
          nodeRanges.map((r) =>
            and(
              eq(receiptTreeNodes.level, r.level),
              gte(receiptTreeNodes.idx, r.from),
              lt(receiptTreeNodes.idx, r.to),
            ),
          ),
        ),
      ),
    );
  const rows = await leaves.unionAll(nodes);
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
