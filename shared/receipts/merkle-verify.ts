/**
 * RFC 9162 §2.1.3.2 and §2.1.4.2 proof verification. Pure and dependency-light:
 * the offline CLI verifies evidence bundles with exactly this code.
 */
import { equalBytes, type Hash, hashSize } from "./hashing";
import { isPowerOfTwo, nodeHash } from "./merkle";

export type ProofCheck = { ok: true } | { ok: false; reason: string };

const ok: ProofCheck = { ok: true };
const fail = (reason: string): ProofCheck => ({ ok: false, reason });
const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);
const badHash = (hashes: Hash[]) => hashes.findIndex((h) => h.length !== hashSize);

export function verifyInclusion(input: {
  leafIndex: number;
  treeSize: number;
  leafHash: Hash;
  proof: Hash[];
  root: Hash;
}): ProofCheck {
  const { leafIndex, treeSize, leafHash, proof, root } = input;
  if (!Number.isSafeInteger(treeSize) || treeSize < 1) return fail(`tree size ${treeSize} is not positive`);
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
    return fail(`leaf index ${leafIndex} is outside a tree of ${treeSize}`);
  }
  if (leafHash.length !== hashSize) return fail(`leaf hash has ${leafHash.length} bytes, not ${hashSize}`);
  const bad = badHash(proof);
  if (bad >= 0) return fail(`proof[${bad}] is not a ${hashSize}-byte hash`);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return fail("the proof is longer than the tree is deep");
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail("the proof is shorter than the tree is deep");
  return equalBytes(r, root) ? ok : fail("the proof does not lead to the root");
}

/** Also refuses a proof from size 0: an empty tree is a prefix of anything, so it proves nothing. */
export function verifyConsistency(input: {
  size1: number;
  size2: number;
  root1: Hash;
  root2: Hash;
  proof: Hash[];
}): ProofCheck {
  const { size1, size2, root1, root2, proof } = input;
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2)) return fail("sizes must be integers");
  if (size1 > size2) return fail(`size1 ${size1} is larger than size2 ${size2}`);
  if (size1 < 1) return fail("a consistency proof from an empty tree proves nothing");
  if (size1 === size2) {
    if (proof.length > 0) return fail("equal sizes need an empty proof");
    return equalBytes(root1, root2) ? ok : fail("equal sizes but different roots");
  }
  if (proof.length === 0) return fail("the proof is empty");
  const bad = badHash(proof);
  if (bad >= 0) return fail(`proof[${bad}] is not a ${hashSize}-byte hash`);
  // When size1 is a power of two the old root is itself a node of the new tree and starts the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const [first, ...rest] = path;
  if (!first) return fail("the proof is empty");
  let fr = first;
  let sr = first;
  for (const c of rest) {
    if (sn === 0) return fail("the proof is longer than needed");
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail("the proof is shorter than needed");
  if (!equalBytes(fr, root1)) return fail("the proof does not lead to the old root");
  if (!equalBytes(sr, root2)) return fail("the proof does not lead to the new root");
  return ok;
}
