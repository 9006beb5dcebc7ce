/**
 * The end of a commit, in the transaction of its last chunk (or of the commit itself when
 * nothing is to apply): status completed, the watermark moved, and the `import.committed`
 * receipt with the counts and the manifest digest. Its idempotency key is the plan id, so
 * any path that completes this plan finds the same receipt.
 */
import type { Database } from "../../../db/client";
import type { Import, ImportPlan } from "../../../db/schema";
import { type AppendCtx, appendReceipt } from "../../../receipts/append";
import type { ImportKind } from "../../types";
import { bumpWatermark } from "../plan/plans-repo";
import { updateImport } from "./imports-repo";

export async function completeImport(
  ctx: AppendCtx & { db: Database },
  imp: Import,
  plan: ImportPlan,
): Promise<Import> {
  const now = ctx.clock.now();
  await bumpWatermark(ctx.db, imp.tenantId, imp.kind as ImportKind, now);
  const { receipt } = await appendReceipt({
    ctx,
    input: {
      kind: "import.committed",
      subject: `import:${imp.id}`,
      inputDigest: plan.sourceSha256,
      idempotencyKey: plan.id,
      output: { counts: imp.counts, rowsApplied: imp.rowsApplied, rowsSkipped: imp.rowsSkipped },
      decisionId: imp.decisionId,
      links: [plan.id, imp.decisionId, ...(plan.receiptId ? [plan.receiptId] : [])],
      details: {
        planId: plan.id,
        kind: plan.kind,
        counts: imp.counts,
        rowsApplied: imp.rowsApplied,
        rowsSkipped: imp.rowsSkipped,
        chunks: imp.chunksTotal,
        sourceSha256: plan.sourceSha256,
        manifestDigest: plan.manifestDigest,
      },
    },
  });
  const done = await updateImport(ctx.db, imp.tenantId, imp.id, {
    status: "completed",
    completedAt: now,
    receiptId: receipt.id,
    updatedAt: now,
  });
  return done ?? imp;
}
