/**
 * Proofs and roots from the stored tree. A proof is computed twice: first with a
 * reader that only notes which complete subtrees it asks for (the proof
 * algorithms ask in an order that does not depend on the hashes), then, after
 * one query reads the stored rows under those subtrees, with the real hashes.
 * Each wanted subtree lies over one run of at most 2^(storedEvery−1) stored
 * hashes, so a proof reads O(log n) rows and hashes O(log n) nodes.
 */
import type { Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { fromHex, type Hash } from "../hashing";
import { emptyRoot, type NodeReader, nodeHash } from "../merkle";
import { baseLevel } from "./stored-levels";
import { ensureTreeStored } from "./tree-backfill";
import { type NodeRange, nodeKey, readNodeRanges } from "./tree-repo";

/**
 * Runs `prove` over the tenant's stored tree. `prove` must be a pure function of
 * the reader (e.g. `(node) => inclusionPathOf(node, 5, 100)`); it runs twice.
 */
export async function proveFromStore<T>(
  db: Database,
  tenantId: string,
  prove: (node: NodeReader) => T,
): Promise<T> {
  await ensureTreeStored(db, tenantId);
  return proveWith(prove, (ranges) => readNodeRanges(db, tenantId, ranges));
}

/** The two passes over any store: `read` answers the stored hashes (hex, keyed `level:idx`) in the ranges. */
export async function proveWith<T>(
  prove: (node: NodeReader) => T,
  read: (ranges: NodeRange[]) => Promise<Map<string, string>>,
): Promise<T> {
  const wanted: NodeRange[] = [];
  prove((level, index) => {
    const base = baseLevel(level);
    const span = 2 ** (level - base);
    wanted.push({ level: base, from: index * span, to: (index + 1) * span });
    return emptyRoot;
  });
  return prove(storedReader(await read(mergeRanges(wanted))));
}

/** Hashes a wanted subtree up from the stored level below it, remembering every node it hashes. */
function storedReader(found: Map<string, string>): NodeReader {
  const memo = new Map<string, Hash>();
  const node: NodeReader = (level, index) => {
    const key = nodeKey(level, index);
    const known = memo.get(key);
    if (known) return known;
    let hash: Hash;
    if (level === baseLevel(level)) {
      const hex = found.get(key);
      if (hex === undefined) throw missing(level, index);
      hash = fromHex(hex);
    } else {
      hash = nodeHash(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
    }
    memo.set(key, hash);
    return hash;
  };
  return node;
}

/** Overlapping or touching runs of one level become one, so the query stays short. */
function mergeRanges(ranges: NodeRange[]): NodeRange[] {
  const sorted = [...ranges].sort((a, b) => a.level - b.level || a.from - b.from);
  const merged: NodeRange[] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && last.level === r.level && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else merged.push({ ...r });
  }
  return merged;
}

function missing(level: number, index: number): AppError {
  const what =
    level === 0 ? `no entry at seq ${index}` : `no stored tree node at level ${level}, index ${index}`;
  return new AppError(
    "internal",
    `The receipt log has ${what}; GET /v1/receipts/verification reports the damage.`,
  );
}
