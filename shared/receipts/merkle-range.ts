/**
 * Proof that a contiguous run of leaves [first, end) sits at those positions in a
 * tree of `size` leaves: the roots of the subtrees beside the run, in the order a
 * left-to-right walk of the RFC 6962 tree meets them (O(log n) hashes, two
 * boundary paths). The verifier streams the run's leaves through the same walk and
 * compares the root it reaches with the signed one, holding O(log n) hashes however
 * long the run. Pure: the offline CLI verifies streamed bundles with exactly this.
 */
import type { Hash } from "./hashing";
import { isPowerOfTwo, type NodeReader, nodeHash, splitPoint } from "./merkle";

function checkRun(first: number, end: number, size: number): void {
  if (![first, end, size].every(Number.isSafeInteger) || first < 0 || end <= first || end > size) {
    throw new RangeError(`no run [${first}, ${end}) in a tree of ${size}`);
  }
}

/** MTH(D[lo:hi]) from complete subtrees only. */
function subtree(node: NodeReader, lo: number, hi: number): Hash {
  const n = hi - lo;
  if (isPowerOfTwo(n) && lo % n === 0) return node(Math.log2(n), lo / n);
  const k = splitPoint(n);
  return nodeHash(subtree(node, lo, lo + k), subtree(node, lo + k, hi));
}

/** The hashes beside leaves [first, end) in a tree of `size`, walk order. */
export function rangeProofOf(node: NodeReader, first: number, end: number, size: number): Hash[] {
  checkRun(first, end, size);
  const proof: Hash[] = [];
  const walk = (lo: number, hi: number): void => {
    if (hi <= first || lo >= end) proof.push(subtree(node, lo, hi));
    else if (lo >= first && hi <= end) return;
    else {
      const k = splitPoint(hi - lo);
      walk(lo, lo + k);
      walk(lo + k, hi);
    }
  };
  walk(0, size);
  return proof;
}

/**
 * The root a run's leaves and its proof lead to, pulling the leaves one at a time in
 * order (`nextLeaf`), so a stream of any length is checked in O(log n) memory.
 * Throws if the proof is too short or too long; the caller compares the root.
 */
export async function rootFromRange(input: {
  first: number;
  end: number;
  size: number;
  proof: Hash[];
  nextLeaf: () => Promise<Hash>;
}): Promise<Hash> {
  const { first, end, size, proof, nextLeaf } = input;
  checkRun(first, end, size);
  let used = 0;
  const walk = async (lo: number, hi: number): Promise<Hash> => {
    if (hi <= first || lo >= end) {
      const hash = proof[used++];
      if (!hash) throw new RangeError("the range proof is shorter than the tree needs");
      return hash;
    }
    if (hi - lo === 1) return nextLeaf();
    const k = splitPoint(hi - lo);
    const left = await walk(lo, lo + k);
    return nodeHash(left, await walk(lo + k, hi));
  };
  const root = await walk(0, size);
  if (used !== proof.length) throw new RangeError("the range proof is longer than the tree needs");
  return root;
}
