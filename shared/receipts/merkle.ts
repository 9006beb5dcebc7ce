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
 * A tree over known leaf hashes. Hashes of every complete, aligned subtree are
 * computed once (O(n)); roots and proofs for any size ≤ n then cost O(log² n).
 */
export class MerkleTree {
  /** levels[h][i] = root of the 2^h leaves starting at i·2^h (complete subtrees only). */
  private readonly levels: Hash[][];

  constructor(leaves: Hash[]) {
    const levels: Hash[][] = [leaves];
    for (let below = leaves; below.length > 1; ) {
      const above: Hash[] = [];
      for (let i = 0; i + 1 < below.length; i += 2) above.push(nodeHash(at(below, i), at(below, i + 1)));
      levels.push(above);
      below = above;
    }
    this.levels = levels;
  }

  get size(): number {
    return at(this.levels, 0).length;
  }

  root(size = this.size): Hash {
    this.checkSize(size);
    return this.subtree(0, size);
  }

  /** PATH(index, D[size]): sibling hashes from the leaf up. */
  inclusionProof(index: number, size = this.size): Hash[] {
    this.checkSize(size);
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`leaf ${index} is outside a tree of ${size}`);
    }
    return this.path(index, 0, size);
  }

  /** PROOF(from, D[to]) for 0 < from ≤ to: the old tree is a prefix of the new one. */
  consistencyProof(from: number, to = this.size): Hash[] {
    this.checkSize(to);
    if (!Number.isSafeInteger(from) || from < 1 || from > to) {
      throw new RangeError(`no consistency proof from ${from} to ${to}`);
    }
    return from === to ? [] : this.subproof(from, 0, to, true);
  }

  private checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`tree size ${size} is outside 0..${this.size}`);
    }
  }

  /** MTH(D[lo:hi]). */
  private subtree(lo: number, hi: number): Hash {
    const n = hi - lo;
    if (n === 0) return emptyRoot;
    if (isPowerOfTwo(n) && lo % n === 0) return at(at(this.levels, Math.log2(n)), lo / n);
    const k = splitPoint(n);
    return nodeHash(this.subtree(lo, lo + k), this.subtree(lo + k, hi));
  }

  private path(m: number, lo: number, hi: number): Hash[] {
    const n = hi - lo;
    if (n <= 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...this.path(m, lo, lo + k), this.subtree(lo + k, hi)]
      : [...this.path(m - k, lo + k, hi), this.subtree(lo, lo + k)];
  }

  private subproof(m: number, lo: number, hi: number, complete: boolean): Hash[] {
    const n = hi - lo;
    if (m === n) return complete ? [] : [this.subtree(lo, hi)];
    const k = splitPoint(n);
    return m <= k
      ? [...this.subproof(m, lo, lo + k, complete), this.subtree(lo + k, hi)]
      : [...this.subproof(m - k, lo + k, hi, false), this.subtree(lo, lo + k)];
  }
}

function at<T>(list: T[], index: number): T {
  const value = list[index];
  if (value === undefined) throw new RangeError(`no element ${index}`);
  return value;
}
