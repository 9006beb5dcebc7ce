/**
 * Evidence export: every receipt of a time range, each with its inclusion proof
 * against a checkpoint signed for this export, and the keys to check it.
 * Gated by Cedar (`exportEvidence`: admins and auditors). The export leaves an
 * `evidence.exported` receipt recording the seq span and count it holds, appended
 * before the checkpoint so the bundle's own checkpoint covers it: a verifier
 * then tells a removed receipt or an edited range from a genuine bundle.
 */
import type { TenantCtx } from "../context/context";
import type { Receipt } from "../db/schema";
import { AppError } from "../errors/app-error";
import { newId } from "../ids/ids";
import { enforce } from "../policy/authorize";
import { appendReceipt } from "./append";
import { issueCheckpoint } from "./checkpoints";
import {
  type BundledReceipt,
  type EvidenceBundle,
  type ExportDetails,
  evidenceFormat,
  exportDetailsOf,
} from "./evidence-bundle";
import { toHex } from "./hashing";
import { readLogHead } from "./log-repo";
import { inclusionPathOf } from "./merkle";
import { receiptsInSeqSpan, seqSpanInRange } from "./receipt-repo";
import { receiptView } from "./receipt-views";
import { proveFromStore } from "./tree/stored-tree";

/** Bundles stay well inside a Worker's memory and a response a person can download. */
export const maxEvidenceReceipts = 10_000;

export interface EvidenceInput {
  from?: Date;
  to?: Date;
  /** The request's Idempotency-Key: a retried export names the same action. */
  idempotencyKey?: string;
  /** The request's id, recorded on the receipt. */
  requestId?: string;
}

/** What every export does first: the gate, the span, the export receipt, the checkpoint over it. */
export async function beginExport(ctx: TenantCtx, input: EvidenceInput, limit: number) {
  const decision = await enforce({
    ctx,
    input: {
      action: "exportEvidence",
      resource: { type: "Tenant", id: ctx.tenant.id, tenantId: ctx.tenant.id },
    },
  });
  // The span is fixed against the log as it stands now; receipts appended meanwhile are not in it.
  const head = await readLogHead(ctx.db, ctx.tenant.id);
  const span = await seqSpanInRange(
    ctx.db,
    ctx.tenant.id,
    { from: input.from, to: input.to },
    head?.size ?? 0,
  );
  const count = span ? span.last - span.first + 1 : 0;
  if (count > limit) {
    throw new AppError(
      "unprocessable",
      limit === maxEvidenceReceipts
        ? `The range holds ${count} receipts; export at most ${maxEvidenceReceipts} at a time as one JSON bundle, or ask for the streamed bundle (Accept: application/x-ndjson).`
        : `The range holds ${count} receipts; export at most ${limit} at a time.`,
      { limit },
    );
  }
  const details: ExportDetails = {
    from: input.from?.toISOString() ?? null,
    to: input.to?.toISOString() ?? null,
    firstSeq: span?.first ?? null,
    lastSeq: span?.last ?? null,
    receipts: count,
    requestId: input.requestId ?? null,
  };
  const { receipt: exported } = await appendReceipt({
    ctx,
    input: {
      kind: "evidence.exported",
      subject: `tenant:${ctx.tenant.id}`,
      // A fresh export id: two exports of one range are two actions, each with its receipt.
      input: { exportId: newId("exp"), ...details },
      // A retry with the same key is the same export: the receipt, and the span it recorded.
      idempotencyKey: input.idempotencyKey,
      decisionId: decision.id,
      links: [decision.id],
      details: { ...details },
    },
  });
  const recorded = exportDetailsOf(exported.details);
  if (!recorded) {
    throw new AppError(
      "conflict",
      "This Idempotency-Key names an earlier export whose receipt does not record its range; use a new key.",
    );
  }
  const { checkpoint } = await issueCheckpoint({ ctx });
  return { exported, recorded, checkpoint };
}

export async function exportEvidence({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: EvidenceInput;
}): Promise<EvidenceBundle> {
  const { exported, recorded, checkpoint } = await beginExport(ctx, input, maxEvidenceReceipts);
  const rows: Receipt[] =
    recorded.firstSeq === null || recorded.lastSeq === null
      ? []
      : await receiptsInSeqSpan(ctx.db, ctx.tenant.id, { first: recorded.firstSeq, last: recorded.lastSeq });
  rows.push(exported);
  const paths = await proveFromStore(ctx.db, ctx.tenant.id, (node) =>
    rows.map((row) => inclusionPathOf(node, row.seq, checkpoint.treeSize)),
  );
  const receipts: BundledReceipt[] = rows.map((row, i) => ({
    ...receiptView(row),
    inclusion: {
      leafIndex: row.seq,
      treeSize: checkpoint.treeSize,
      path: (paths[i] ?? []).map(toHex),
    },
  }));
  const { from, to, firstSeq, lastSeq } = recorded;
  return {
    format: evidenceFormat,
    tenant: { id: ctx.tenant.id, slug: ctx.tenant.slug, name: ctx.tenant.name },
    range: { from, to, firstSeq, lastSeq },
    exportedAt: exported.occurredAt.toISOString(),
    exportReceiptId: exported.id,
    checkpoint,
    keys: { keys: ctx.signer.jwks().keys },
    receipts,
  };
}
