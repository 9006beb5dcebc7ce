/**
 * Which levels of a tenant's Merkle tree the log stores: leaves (the receipts'
 * own `leaf_hash`) and every level that is a positive multiple of `storedEvery`.
 * A node in between is hashed from at most 2^(storedEvery−1) nodes of the stored
 * level below it, so a proof reads O(log n) stored hashes and hashes O(log n)
 * nodes, while the log writes one node row per ~15 receipts.
 */
import type { Hash } from "../hashing";
import { toHex } from "../hashing";
import type { OnNode } from "../merkle-frontier";

export const storedEvery = 4;

/** One stored node, as the log writes and reads it. */
export interface TreeNode {
  tenantId: string;
  level: number;
  idx: number;
  /** Lower-case hex. */
  hash: string;
}

/** The stored level a node is hashed from: its own level when stored, else the next one below. */
export const baseLevel = (level: number): number => level - (level % storedEvery);

export const isStoredLevel = (level: number): boolean => level > 0 && level % storedEvery === 0;

/** An `appendToFrontier` listener that keeps the nodes of stored levels in `into`. */
export function keepStoredNodes(tenantId: string, into: TreeNode[]): OnNode {
  return (level: number, idx: number, hash: Hash) => {
    if (isStoredLevel(level)) into.push({ tenantId, level, idx, hash: toHex(hash) });
  };
}
