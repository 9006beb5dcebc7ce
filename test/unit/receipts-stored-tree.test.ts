import { describe, expect, it } from "vitest";
import { type Hash, toHex } from "../../shared/receipts/hashing";
import {
  consistencyPathOf,
  inclusionPathOf,
  leafHash,
  MerkleTree,
  rootOf,
} from "../../shared/receipts/merkle";
import { appendToFrontier } from "../../shared/receipts/merkle-frontier";
import { rangeProofOf, rootFromRange } from "../../shared/receipts/merkle-range";
import { keepStoredNodes, type TreeNode } from "../../shared/receipts/tree/stored-levels";
import { proveWith } from "../../shared/receipts/tree/stored-tree";
import type { NodeRange } from "../../shared/receipts/tree/tree-repo";

/** A small seeded generator, so a failure names a tree that can be rebuilt. */
function random(seed: number) {
  let a = seed >>> 0;
  return (below: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

/** What the log stores for `leaves`: the leaves, and the nodes its appends emit on stored levels. */
function storedLog(leaves: Hash[]) {
  const stored = new Map<string, string>();
  const nodes: TreeNode[] = [];
  let frontier: Hash[] = [];
  leaves.forEach((leaf, seq) => {
    stored.set(`0:${seq}`, toHex(leaf));
    frontier = appendToFrontier(frontier, seq, leaf, keepStoredNodes("ten_x", nodes));
  });
  for (const n of nodes) stored.set(`${n.level}:${n.idx}`, n.hash);
  const reads: number[] = [];
  const read = async (ranges: NodeRange[]) => {
    const found = new Map<string, string>();
    for (const r of ranges) {
      for (let i = r.from; i < r.to; i++) {
        const hash = stored.get(`${r.level}:${i}`);
        if (hash !== undefined) found.set(`${r.level}:${i}`, hash);
      }
    }
    reads.push(found.size);
    return found;
  };
  return { read, reads, nodes };
}

const hex = (hashes: Hash[]) => hashes.map(toHex);
const leavesOf = (n: number, salt: number) =>
  Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`${salt}/${i}`)));

describe("proofs from the stored tree", () => {
  const next = random(20261207);
  const sizes = [1, 2, 3, 15, 16, 17, 255, 256, 257, 4095, 4096, 4097, 65_537];
  for (let i = 0; i < 12; i++) sizes.push(1 + next(20_000));

  it.each(sizes)("equal the full rebuild's on a tree of %i leaves, at random sizes and leaves", async (n) => {
    const leaves = leavesOf(n, n);
    const tree = new MerkleTree(leaves);
    const log = storedLog(leaves);
    for (let trial = 0; trial < 20; trial++) {
      const size = trial === 0 ? n : 1 + next(n);
      const index = next(size);
      const from = 1 + next(size);
      expect(hex(await proveWith((node) => inclusionPathOf(node, index, size), log.read))).toEqual(
        hex(tree.inclusionProof(index, size)),
      );
      expect(hex(await proveWith((node) => consistencyPathOf(node, from, size), log.read))).toEqual(
        hex(tree.consistencyProof(from, size)),
      );
      expect(toHex(await proveWith((node) => rootOf(node, size), log.read))).toBe(toHex(tree.root(size)));
    }
  });

  it("stores about one node per 15 leaves, and reads O(log n) hashes per proof", async () => {
    const n = 65_537;
    const log = storedLog(leavesOf(n, 1));
    expect(log.nodes.length).toBe(4096 + 256 + 16 + 1);
    const next2 = random(7);
    for (let trial = 0; trial < 200; trial++) {
      const index = next2(n);
      const from = 1 + next2(n);
      await proveWith((node) => inclusionPathOf(node, index, n), log.read);
      await proveWith((node) => consistencyPathOf(node, from, n), log.read);
    }
    // 17 levels, 5 of them stored (0, 4, 8, 12, 16): at most two runs of 16 hashes per stored level.
    expect(Math.max(...log.reads)).toBeLessThanOrEqual(2 * 16 * 5);
  });

  it("refuses a proof whose stored hashes are missing", async () => {
    const log = storedLog(leavesOf(40, 2));
    const empty = async () => new Map<string, string>();
    await expect(proveWith((node) => inclusionPathOf(node, 3, 40), empty)).rejects.toThrow(/no entry at seq/);
    await expect(proveWith((node) => inclusionPathOf(node, 3, 40), log.read)).resolves.toHaveLength(6);
  });
});

describe("range proofs", () => {
  const next = random(99);
  it("lead from any run of leaves and O(log n) hashes to the root, and from no other run", async () => {
    for (let trial = 0; trial < 40; trial++) {
      const size = 1 + next(trial < 30 ? 300 : 5000);
      const leaves = leavesOf(size, trial);
      const tree = new MerkleTree(leaves);
      const first = next(size);
      const end = first + 1 + next(Math.min(size - first, 2000));
      const log = storedLog(leaves);
      const proof = await proveWith((node) => rangeProofOf(node, first, end, size), log.read);
      expect(proof.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(size) + 1));
      let at = first;
      const nextLeaf = async () => leaves[at++] as Hash;
      const root = await rootFromRange({ first, end, size, proof, nextLeaf });
      expect(toHex(root), `[${first}, ${end}) of ${size}`).toBe(toHex(tree.root(size)));
      expect(at).toBe(end);
      if (end - first > 1) {
        // A run with one leaf left out (the next one shifted in) does not lead to the root.
        let skip = first;
        const skipping = async () => (skip === first + 1 ? leaves[++skip] : leaves[skip++]) as Hash;
        const other = await rootFromRange({ first, end, size, proof, nextLeaf: skipping }).catch(
          () => undefined,
        );
        expect(other && toHex(other)).not.toBe(toHex(tree.root(size)));
      }
    }
  });
});
