/**
 * The end of a revert, in the transaction of its last chunk (or of the revert itself when
 * the import applied nothing): the watermark moved, the `import.reverted` receipt with what
 * was deleted, set back and left alone, and the import `reverted`. Its idempotency key is
 * `<import>:revert`, so every path that completes it finds the same receipt.
 */
import type { Database } from "../../../db/client";
import type { Import, ImportPlan, ImportRevert } from "../../../db/schema";
import { type AppendCtx, appendReceipt } from "../../../receipts/append";
import type { ImportKind } from "../../types";
import { updateImport } from "../commit/imports-repo";
import { bumpWatermark } from "../plan/plans-repo";
import { updateRevert } from "./reverts-repo";

export async function completeRevert(
  ctx: AppendCtx & { db: Database },
  imp: Import,
  revert: ImportRevert,
  plan: ImportPlan,
): Promise<Import> {
  const now = ctx.clock.now();
  await bumpWatermark(ctx.db, imp.tenantId, imp.kind as ImportKind, now);
  const { receipt } = await appendReceipt({
    ctx,
    input: {
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
  });
  await updateRevert(ctx.db, imp.tenantId, imp.id, { receiptId: receipt.id, completedAt: now });
  const patch = { status: "reverted" as const, revertReceiptId: receipt.id, updatedAt: now };
  return (await updateImport(ctx.db, imp.tenantId, imp.id, patch)) ?? imp;
}
