/**
 * The compact form of an append-only Merkle tree: the roots of the perfect
 * subtrees that cover the leaves, largest first (one per set bit of the size).
 * An append touches O(log n) of them, so the log never re-hashes the whole tree.
 */
import type { Hash } from "./hashing";
import { emptyRoot, nodeHash } from "./merkle";

/** The frontier after appending `leaf` to a tree of `size` leaves. */
export function appendToFrontier(frontier: Hash[], size: number, leaf: Hash): Hash[] {
  const next = [...frontier];
  let carry = leaf;
  // Each trailing 1-bit of `size` is a perfect subtree of the same height as `carry`: merge them.
  for (let s = size; s % 2 === 1; s = (s - 1) / 2) {
    const left = next.pop();
    if (!left) throw new Error(`frontier of ${frontier.length} hashes does not match size ${size}`);
    carry = nodeHash(left, carry);
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
