/**
 * Builds the stored nodes of a log written before the tree was stored: one pass
 * over its leaves in pages, the frontier carried from page to page (bounded
 * memory), each completed node of a stored level written as it appears. The same
 * frontier code writes nodes on append, so both paths store the same nodes.
 * Idempotent: nodes already stored are kept, and two builders may race harmlessly.
 */
import type { Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { fromHex, type Hash } from "../hashing";
import { appendToFrontier } from "../merkle-frontier";
import { keepStoredNodes, type TreeNode } from "./stored-levels";
import { insertTreeNodes, leafHashesBetween, markTreeBuilt, treeMissingBelow } from "./tree-repo";

const pageSize = 20_000;

/** Builds the nodes of leaves `0 … below − 1` (the whole tree of a log of that size). */
export async function buildTreeNodes(db: Database, tenantId: string, below: number): Promise<void> {
  let frontier: Hash[] = [];
  for (let seq = 0; seq < below; ) {
    const page = await leafHashesBetween(db, tenantId, seq, Math.min(below, seq + pageSize));
    const nodes: TreeNode[] = [];
    const keep = keepStoredNodes(tenantId, nodes);
    for (const row of page) {
      if (row.seq !== seq) throw missingEntry(seq);
      frontier = appendToFrontier(frontier, seq, fromHex(row.leafHash), keep);
      seq++;
    }
    if (page.length === 0) throw missingEntry(seq);
    await insertTreeNodes(db, nodes);
  }
}

/**
 * Tenants this process has seen with a complete tree. The mark only ever goes to 0 and
 * stays there, so once seen it need not be read again. Bounded: it is only a shortcut.
 */
const built = new Set<string>();
const maxRemembered = 10_000;

/** A log that still lacks nodes gets them now; afterwards this costs one indexed read, once per process. */
export async function ensureTreeStored(db: Database, tenantId: string): Promise<void> {
  if (built.has(tenantId)) return;
  const below = await treeMissingBelow(db, tenantId);
  if (below > 0) {
    await buildTreeNodes(db, tenantId, below);
    await markTreeBuilt(db, tenantId, below);
  }
  if (built.size >= maxRemembered) built.clear();
  built.add(tenantId);
}

const missingEntry = (seq: number) =>
  new AppError(
    "internal",
    `The receipt log has no entry at seq ${seq}; GET /v1/receipts/verification reports the damage.`,
  );
