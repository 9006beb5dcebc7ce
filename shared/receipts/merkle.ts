/**
 * RFC 6962 / RFC 9162 Merkle tree hashing and proof generation.
 * leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), empty tree = SHA-256("").
 * Sizes and indexes are plain numbers (safe integers): only arithmetic is used,
 * never 32-bit bitwise operators, so trees past 2^31 leaves stay correct.
 */
import { type Hash, sha256 } from "./hashing";

const leafPrefix = new Uint8Array([0]);
const nodePrefix = new Uint8Array([1]);

export const emptyRoot: Hash = sha256();

export const leafHash = (data: Uint8Array): Hash => sha256(leafPrefix, data);

export const nodeHash = (left: Hash, right: Hash): Hash => sha256(nodePrefix, left, right);

/** The largest power of two strictly below `n` (n ≥ 2): where RFC 6962 splits a tree. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export const isPowerOfTwo = (n: number): boolean => n > 0 && splitPoint(n * 2) === n;

/**
 * The hash of a complete, aligned subtree: the 2^level leaves starting at index·2^level.
 * Proofs and roots are built from these alone, so any store of them serves proofs:
 * a tree held in memory, or the nodes the log stores as it grows (tree/stored-tree.ts).
 * The functions below ask for nodes in an order that does not depend on their values.
 */
export type NodeReader = (level: number, index: number) => Hash;

/** MTH(D[lo:hi]). */
function subtree(node: NodeReader, lo: number, hi: number): Hash {
  const n = hi - lo;
  if (n === 0) return emptyRoot;
  if (isPowerOfTwo(n) && lo % n === 0) return node(Math.log2(n), lo / n);
  const k = splitPoint(n);
  return nodeHash(subtree(node, lo, lo + k), subtree(node, lo + k, hi));
}

function path(node: NodeReader, m: number, lo: number, hi: number): Hash[] {
  const n = hi - lo;
  if (n <= 1) return [];
  const k = splitPoint(n);
  return m < k
    ? [...path(node, m, lo, lo + k), subtree(node, lo + k, hi)]
    : [...path(node, m - k, lo + k, hi), subtree(node, lo, lo + k)];
}

function subproof(node: NodeReader, m: number, lo: number, hi: number, complete: boolean): Hash[] {
  const n = hi - lo;
  if (m === n) return complete ? [] : [subtree(node, lo, hi)];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(node, m, lo, lo + k, complete), subtree(node, lo + k, hi)]
    : [...subproof(node, m - k, lo + k, hi, false), subtree(node, lo, lo + k)];
}

function checkIndex(index: number, size: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf ${index} is outside a tree of ${size}`);
  }
}

function checkSizes(from: number, to: number): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || from > to) {
    throw new RangeError(`no consistency proof from ${from} to ${to}`);
  }
}

/** MTH of the first `size` leaves. */
export const rootOf = (node: NodeReader, size: number): Hash => subtree(node, 0, size);

/** PATH(index, D[size]): sibling hashes from the leaf up. */
export function inclusionPathOf(node: NodeReader, index: number, size: number): Hash[] {
  checkIndex(index, size);
  return path(node, index, 0, size);
}

/** PROOF(from, D[to]) for 0 < from ≤ to: the old tree is a prefix of the new one. */
export function consistencyPathOf(node: NodeReader, from: number, to: number): Hash[] {
  checkSizes(from, to);
  return from === to ? [] : subproof(node, from, 0, to, true);
}

/**
 * A tree over known leaf hashes, all in memory. Hashes of every complete, aligned
 * subtree are computed once (O(n)); roots and proofs for any size ≤ n then cost O(log² n).
 * The offline verifier and tests use it; the service reads stored nodes instead.
 */
export class MerkleTree {
  /** levels[h][i] = root of the 2^h leaves starting at i·2^h (complete subtrees only). */
  private readonly levels: Hash[][];
  private readonly node: NodeReader;

  constructor(leaves: Hash[]) {
    const levels: Hash[][] = [leaves];
    for (let below = leaves; below.length > 1; ) {
      const above: Hash[] = [];
      for (let i = 0; i + 1 < below.length; i += 2) above.push(nodeHash(at(below, i), at(below, i + 1)));
      levels.push(above);
      below = above;
    }
    this.levels = levels;
    this.node = (level, index) => at(at(levels, level), index);
  }

  get size(): number {
    return at(this.levels, 0).length;
  }

  root(size = this.size): Hash {
    this.checkSize(size);
    return rootOf(this.node, size);
  }

  inclusionProof(index: number, size = this.size): Hash[] {
    this.checkSize(size);
    return inclusionPathOf(this.node, index, size);
  }

  consistencyProof(from: number, to = this.size): Hash[] {
    this.checkSize(to);
    return consistencyPathOf(this.node, from, to);
  }

  private checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`tree size ${size} is outside 0..${this.size}`);
    }
  }
}

function at<T>(list: T[], index: number): T {
  const value = list[index];
  if (value === undefined) throw new RangeError(`no element ${index}`);
  return value;
}
