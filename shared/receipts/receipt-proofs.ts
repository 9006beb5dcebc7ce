/** One receipt with the proof that it is in the tenant's log. */
import type { TenantCtx } from "../context/context";
import { AppError } from "../errors/app-error";
import { latestCheckpointRow } from "./checkpoint-repo";
import { toHex } from "./hashing";
import { findReceipt, readLogHead } from "./log-repo";
import { inclusionPathOf } from "./merkle";
import type { ReceiptView } from "./receipt-digest";
import { type CheckpointView, checkpointView, receiptView } from "./receipt-views";
import { proveFromStore } from "./tree/stored-tree";

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  rootHash: string;
  leafHash: string;
  /** RFC 6962 audit path, leaf to root (hex). */
  path: string[];
}

export interface ReceiptWithProof {
  receipt: ReceiptView;
  inclusion: InclusionProof;
  /** The signed checkpoint the proof leads to; null when the receipt is newer than it (proved against the current head). */
  checkpoint: CheckpointView | null;
}

/** Another tenant's id is simply not found: every read is filtered by the caller's tenant. */
export async function getReceiptWithProof({
  ctx,
  id,
}: {
  ctx: TenantCtx;
  id: string;
}): Promise<ReceiptWithProof> {
  const [row, checkpoint] = await Promise.all([
    findReceipt(ctx.db, ctx.tenant.id, id),
    latestCheckpointRow(ctx.db, ctx.tenant.id),
  ]);
  if (!row) throw new AppError("not_found", `No receipt ${id} in this tenant.`);
  const covered = checkpoint && row.seq < checkpoint.treeSize ? checkpoint : undefined;
  const head = covered ? undefined : await readLogHead(ctx.db, ctx.tenant.id);
  const treeSize = covered?.treeSize ?? head?.size ?? row.seq + 1;
  // The stored (and, when covered, signed) root, not one recomputed from the rows:
  // a proof then only checks out if the rows still match what was committed.
  const rootHash = covered?.rootHash ?? head?.rootHash ?? "";
  const path = await proveFromStore(ctx.db, ctx.tenant.id, (node) =>
    inclusionPathOf(node, row.seq, treeSize),
  );
  return {
    receipt: receiptView(row),
    inclusion: {
      leafIndex: row.seq,
      treeSize,
      rootHash,
      leafHash: row.leafHash,
      path: path.map(toHex),
    },
    checkpoint: covered ? checkpointView(covered) : null,
  };
}
