/** Rebuilds a tenant's Merkle tree from stored leaf hashes, for proofs. */
import type { Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { fromHex } from "./hashing";
import { MerkleTree } from "./merkle";
import { leafHashesUpTo } from "./receipt-repo";

/**
 * O(size) read and hash: fine for logs of up to a few hundred thousand entries.
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
