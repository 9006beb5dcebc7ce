/**
 * Evidence export: the receipts of a time range, each with its inclusion proof
 * against a checkpoint signed for this export, and the keys to check it.
 * The export itself leaves an `evidence.exported` receipt, appended before the
 * checkpoint so the bundle's own checkpoint covers it.
 */
import type { TenantCtx } from "../context/context";
import { AppError } from "../errors/app-error";
import { appendReceipt } from "./append";
import { issueCheckpoint } from "./checkpoints";
import { type BundledReceipt, type EvidenceBundle, evidenceFormat } from "./evidence-bundle";
import { toHex } from "./hashing";
import { findReceipt } from "./log-repo";
import { loadLogTree } from "./log-tree";
import { countReceipts, receiptsInRange } from "./receipt-repo";
import { receiptView } from "./receipt-views";

/** Bundles stay well inside a Worker's memory and a response a person can download. */
export const maxEvidenceReceipts = 10_000;

export interface EvidenceInput {
  from?: Date;
  to?: Date;
  /** The request's Idempotency-Key: a retried export names the same action. */
  idempotencyKey?: string;
}

export async function exportEvidence({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: EvidenceInput;
}): Promise<EvidenceBundle> {
  const range = { from: input.from, to: input.to };
  const count = await countReceipts(ctx.db, ctx.tenant.id, range);
  if (count > maxEvidenceReceipts) {
    throw new AppError(
      "unprocessable",
      `The range holds ${count} receipts; export at most ${maxEvidenceReceipts} at a time.`,
      {
        limit: maxEvidenceReceipts,
      },
    );
  }
  const exportedAt = ctx.clock.now();
  const rangeText = { from: input.from?.toISOString() ?? null, to: input.to?.toISOString() ?? null };
  const { receipt: exported } = await appendReceipt({
    ctx,
    input: {
      kind: "evidence.exported",
      subject: `tenant:${ctx.tenant.id}`,
      input: { ...rangeText, at: exportedAt.toISOString() },
      idempotencyKey: input.idempotencyKey,
      details: { ...rangeText, receipts: count },
    },
  });
  const { checkpoint } = await issueCheckpoint({ ctx });
  const rows = await receiptsInRange(ctx.db, ctx.tenant.id, range, checkpoint.treeSize);
  if (!rows.some((row) => row.id === exported.id)) {
    const own = await findReceipt(ctx.db, ctx.tenant.id, exported.id);
    if (own) rows.push(own);
  }
  const tree = await loadLogTree(ctx.db, ctx.tenant.id, checkpoint.treeSize);
  const receipts: BundledReceipt[] = rows.map((row) => ({
    ...receiptView(row),
    inclusion: {
      leafIndex: row.seq,
      treeSize: checkpoint.treeSize,
      path: tree.inclusionProof(row.seq).map(toHex),
    },
  }));
  return {
    format: evidenceFormat,
    tenant: { id: ctx.tenant.id, slug: ctx.tenant.slug, name: ctx.tenant.name },
    range: rangeText,
    exportedAt: exportedAt.toISOString(),
    exportReceiptId: exported.id,
    checkpoint,
    keys: { keys: ctx.signer.jwks().keys },
    receipts,
  };
}
