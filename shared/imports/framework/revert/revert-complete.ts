/**
 * The end of a revert, in the transaction of its last chunk (or of the revert itself when
 * the import applied nothing): the watermark moved, the `import.reverted` receipt with what
 * was deleted, set back and left alone, and the import `reverted`. Its idempotency key is
 * `<import>:revert`, so every path that completes it finds the same receipt.
 */
import type { Database } from "../../../db/client";
import type { Import, ImportPlan, ImportRevert } from "../../../db/schema";
import type { AppendCtx } from "../../../receipts/append";
import { finishImport } from "../chunks/import-finish";
import { updateRevert } from "./reverts-repo";

export async function completeRevert(
  ctx: AppendCtx & { db: Database },
  imp: Import,
  revert: ImportRevert,
  plan: ImportPlan,
): Promise<Import> {
  return finishImport(
    ctx,
    imp,
    {
      kind: "import.reverted",
      subject: `import:${imp.id}`,
      idempotencyKey: `${imp.id}:revert`,
      decisionId: revert.decisionId,
      links: [imp.id, plan.id, revert.decisionId, ...(imp.receiptId ? [imp.receiptId] : [])],
      details: {
        kind: imp.kind,
        deleted: revert.deleted,
        restored: revert.restored,
        skipped: revert.skipped,
        chunks: revert.chunksTotal,
      },
    },
    async (receiptId, now) => {
      await updateRevert(ctx.db, imp.tenantId, imp.id, { receiptId, completedAt: now });
      return { status: "reverted", revertReceiptId: receiptId, updatedAt: now };
    },
  );
}
