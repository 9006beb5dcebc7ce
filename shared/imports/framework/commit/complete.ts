/**
 * The end of a commit, in the transaction of its last chunk (or of the commit itself when
 * nothing is to apply): status completed, the watermark moved, and the `import.committed`
 * receipt with the counts and the manifest digest. Its idempotency key is the plan id, so
 * any path that completes this plan finds the same receipt.
 */
import type { Database } from "../../../db/client";
import type { Import, ImportPlan } from "../../../db/schema";
import type { AppendCtx } from "../../../receipts/append";
import { finishImport } from "../chunks/import-finish";

export async function completeImport(
  ctx: AppendCtx & { db: Database },
  imp: Import,
  plan: ImportPlan,
): Promise<Import> {
  return finishImport(
    ctx,
    imp,
    {
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
    (receiptId, now) => ({ status: "completed", completedAt: now, receiptId, updatedAt: now }),
  );
}
