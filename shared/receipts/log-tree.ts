/**
 * Rebuilds a tenant's whole Merkle tree from every stored leaf hash. The service
 * proves from the stored tree instead (tree/stored-tree.ts); this full rebuild is
 * the reference it is tested against and the baseline `bench:proofs` measures.
 */
import type { Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { fromHex } from "./hashing";
import { MerkleTree } from "./merkle";
import { leafHashesUpTo } from "./receipt-repo";

/**
 * O(size) read, hash and memory: ~2.7 GB at a million entries.
 * A gap means rows were deleted; no honest proof exists then, so say so.
 */
export async function loadLogTree(db: Database, tenantId: string, size: number): Promise<MerkleTree> {
  const rows = await leafHashesUpTo(db, tenantId, size);
  const gap = rows.findIndex((row, i) => row.seq !== i);
  if (gap >= 0 || rows.length !== size) {
    const seq = gap >= 0 ? gap : rows.length;
    throw new AppError(
      "internal",
      `The receipt log has no entry at seq ${seq}; GET /v1/receipts/verification reports the damage.`,
    );
  }
  return new MerkleTree(rows.map((row) => fromHex(row.leafHash)));
}
