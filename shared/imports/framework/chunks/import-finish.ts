/**
 * The ending a commit and a revert share, in the transaction of their last chunk: the
 * kind's watermark moved (plans made before are stale), the closing receipt appended, and
 * the import row updated with what `patch` makes of that receipt.
 */
import type { Database } from "../../../db/client";
import type { Import } from "../../../db/schema";
import { type AppendCtx, type AppendReceiptInput, appendReceipt } from "../../../receipts/append";
import type { ImportKind } from "../../types";
import { updateImport } from "../commit/imports-repo";
import { bumpWatermark } from "../plan/plans-repo";

export async function finishImport(
  ctx: AppendCtx & { db: Database },
  imp: Import,
  receipt: AppendReceiptInput,
  patch: (receiptId: string, now: Date) => Partial<Import> | Promise<Partial<Import>>,
): Promise<Import> {
  const now = ctx.clock.now();
  await bumpWatermark(ctx.db, imp.tenantId, imp.kind as ImportKind, now);
  const { receipt: made } = await appendReceipt({ ctx, input: receipt });
  return (await updateImport(ctx.db, imp.tenantId, imp.id, await patch(made.id, now))) ?? imp;
}
