/**
 * The compact form of an append-only Merkle tree: the roots of the perfect
 * subtrees that cover the leaves, largest first (one per set bit of the size).
 * An append touches O(log n) of them, so the log never re-hashes the whole tree.
 */
import type { Hash } from "./hashing";
import { emptyRoot, nodeHash } from "./merkle";

/** Told of each complete subtree an append completes: its level (≥ 1), index and hash. */
export type OnNode = (level: number, index: number, hash: Hash) => void;

/**
 * The frontier after appending `leaf` to a tree of `size` leaves. Every merge
 * completes one aligned subtree, and that subtree is never rehashed: `onNode` hears
 * of each, so a store can keep them (tree/stored-levels.ts).
 */
export function appendToFrontier(frontier: Hash[], size: number, leaf: Hash, onNode?: OnNode): Hash[] {
  const next = [...frontier];
  let carry = leaf;
  let level = 0;
  let span = 1;
  // Each trailing 1-bit of `size` is a perfect subtree of the same height as `carry`: merge them.
  for (let s = size; s % 2 === 1; s = (s - 1) / 2) {
    const left = next.pop();
    if (!left) throw new Error(`frontier of ${frontier.length} hashes does not match size ${size}`);
    carry = nodeHash(left, carry);
    level++;
    span *= 2;
    onNode?.(level, (size + 1) / span - 1, carry);
  }
  next.push(carry);
  return next;
}

/** MTH of the whole tree: fold the subtree roots from the smallest (rightmost) up. */
export function frontierRoot(frontier: Hash[]): Hash {
  let root = frontier.at(-1);
  if (!root) return emptyRoot;
  for (let i = frontier.length - 2; i >= 0; i--) root = nodeHash(frontier[i] ?? emptyRoot, root);
  return root;
}
