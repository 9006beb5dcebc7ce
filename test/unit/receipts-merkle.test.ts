import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { type Hash, sha256 } from "../../shared/receipts/hashing";
import { emptyRoot, leafHash, MerkleTree } from "../../shared/receipts/merkle";
import { appendToFrontier, frontierRoot } from "../../shared/receipts/merkle-frontier";
import { verifyConsistency, verifyInclusion } from "../../shared/receipts/merkle-verify";

const root = join(import.meta.dirname, "../../../shared/vectors/rfc6962");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const b64 = (s: string): Hash => new Uint8Array(Buffer.from(s, "base64"));
const load = (kind: string) =>
  filesUnder(join(root, kind)).map((file) => {
    const raw = JSON.parse(readFileSync(file, "utf8"));
    return { name: relative(root, file), raw, wantErr: raw.wantErr as boolean };
  });

const inclusion = load("inclusion");
const consistency = load("consistency");

describe("RFC 6962 reference vectors", () => {
  it("has both kinds, valid and tampered", () => {
    expect(inclusion.length).toBeGreaterThan(80);
    expect(consistency.length).toBeGreaterThan(80);
    expect(inclusion.some((c) => !c.wantErr) && inclusion.some((c) => c.wantErr)).toBe(true);
  });

  it.each(inclusion)("inclusion $name", ({ raw, wantErr }) => {
    const result = verifyInclusion({
      leafIndex: raw.leafIdx,
      treeSize: raw.treeSize,
      leafHash: b64(raw.leafHash),
      proof: (raw.proof ?? []).map(b64),
      root: b64(raw.root),
    });
    expect(result.ok).toBe(!wantErr);
  });

  it.each(consistency)("consistency $name", ({ raw, wantErr }) => {
    const result = verifyConsistency({
      size1: raw.size1,
      size2: raw.size2,
      root1: b64(raw.root1),
      root2: b64(raw.root2),
      proof: (raw.proof ?? []).map(b64),
    });
    expect(result.ok).toBe(!wantErr);
  });
});

// The RFC 6962 §2.1.3 example tree's leaves, as used by the reference vectors.
const rfcLeaves = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map((hex) => leafHash(new Uint8Array(Buffer.from(hex, "hex"))));

describe("our trees, proofs and frontier", () => {
  it("reproduces the reference root of the 8-leaf example tree", () => {
    const happy = inclusion.find((c) => c.name === "inclusion/1/happy-path.json");
    expect(Buffer.from(new MerkleTree(rfcLeaves).root()).toString("base64")).toBe(happy?.raw.root);
    expect(new MerkleTree([]).root()).toEqual(sha256());
  });

  const leaves = Array.from({ length: 70 }, (_, i) => leafHash(new TextEncoder().encode(`leaf ${i}`)));
  const tree = new MerkleTree(leaves);

  it("generates inclusion proofs that verify for every leaf of every size up to 70", () => {
    for (let size = 1; size <= leaves.length; size++) {
      const rootHash = tree.root(size);
      for (let index = 0; index < size; index++) {
        const proof = tree.inclusionProof(index, size);
        const check = verifyInclusion({
          leafIndex: index,
          treeSize: size,
          leafHash: at(leaves, index),
          proof,
          root: rootHash,
        });
        expect(check, `${index}/${size}`).toEqual({ ok: true });
      }
    }
  });

  it("generates consistency proofs that verify between every pair of sizes and fail across roots", () => {
    for (let to = 1; to <= leaves.length; to++) {
      for (let from = 1; from <= to; from++) {
        const proof = tree.consistencyProof(from, to);
        const args = { size1: from, size2: to, root1: tree.root(from), root2: tree.root(to), proof };
        expect(verifyConsistency(args).ok, `${from}→${to}`).toBe(true);
        if (from < to) expect(verifyConsistency({ ...args, root1: tree.root(to) }).ok).toBe(false);
      }
    }
  });

  it("keeps a frontier whose root equals the full tree's root after every append", () => {
    let frontier: Hash[] = [];
    expect(frontierRoot(frontier)).toEqual(emptyRoot);
    leaves.forEach((leaf, size) => {
      frontier = appendToFrontier(frontier, size, leaf);
      expect(frontier.length).toBe((size + 1).toString(2).replace(/0/g, "").length);
      expect(frontierRoot(frontier)).toEqual(tree.root(size + 1));
    });
  });

  it("refuses proofs for leaves or sizes the tree does not have", () => {
    expect(() => tree.inclusionProof(70, 70)).toThrow(RangeError);
    expect(() => tree.consistencyProof(0, 5)).toThrow(RangeError);
    expect(() => tree.root(71)).toThrow(RangeError);
  });
});

function at<T>(list: T[], i: number): T {
  const value = list[i];
  if (value === undefined) throw new Error(`no ${i}`);
  return value;
}
