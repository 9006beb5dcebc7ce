/** `GET /v1/imports/{id}`: status, source digest, progress (chunks, rows, rate, time left) and receipts. */
import type { TenantCtx } from "../../../context/context";
import type { Import, ImportChunk } from "../../../db/schema";
import { AppError } from "../../../errors/app-error";
import { findImport, listChunks } from "../commit/imports-repo";
import { findPlan } from "../plan/plans-repo";
import { findRevert } from "../revert/reverts-repo";

const listed = 100;

export async function getImportRow(ctx: Pick<TenantCtx, "db" | "tenant">, id: string): Promise<Import> {
  const found = await findImport(ctx.db, ctx.tenant.id, id);
  if (!found) throw new AppError("not_found", `No import ${id} in this tenant.`);
  return found;
}

export function progressOf(imp: Import, chunks: ImportChunk[], now: Date) {
  const end = imp.completedAt ?? now;
  const seconds = Math.max((end.getTime() - imp.startedAt.getTime()) / 1000, 0.001);
  const rate = imp.rowsApplied / seconds;
  const left = imp.rowsTotal - imp.rowsApplied - imp.rowsSkipped;
  return {
    chunksDone: imp.chunksDone,
    chunksTotal: imp.chunksTotal,
    chunksDead: chunks.filter((c) => c.status === "dead").length,
    rowsTotal: imp.rowsTotal,
    rowsApplied: imp.rowsApplied,
    rowsSkipped: imp.rowsSkipped,
    rowsPerSecond: Math.round(rate * 10) / 10,
    estimatedSecondsLeft: imp.status !== "applying" ? 0 : rate > 0 ? Math.ceil(left / rate) : null,
  };
}

export async function importSummary(ctx: Pick<TenantCtx, "db" | "tenant" | "clock">, imp: Import) {
  const chunks = await listChunks(ctx.db, ctx.tenant.id, imp.id);
  const plan = await findPlan(ctx.db, ctx.tenant.id, imp.planId);
  const revert = await findRevert(ctx.db, ctx.tenant.id, imp.id);
  const base = `/v1/imports/${imp.id}`;
  return {
    id: imp.id,
    planId: imp.planId,
    kind: imp.kind,
    status: imp.status,
    source: { sha256: plan?.sourceSha256 ?? null, name: plan?.sourceName ?? null },
    counts: imp.counts,
    progress: progressOf(imp, chunks, ctx.clock.now()),
    error: imp.error,
    skippedKeys: chunks.flatMap((c) => c.skipped).slice(0, listed),
    deadChunks: chunks
      .filter((c) => c.status === "dead")
      .slice(0, listed)
      .map((c) => ({ chunkNo: c.chunkNo, attempts: c.attempts, error: c.lastError })),
    revert: revert
      ? {
          chunksDone: revert.chunksDone,
          chunksTotal: revert.chunksTotal,
          deleted: revert.deleted,
          restored: revert.restored,
          skipped: revert.skipped,
          error: revert.error,
          decisionId: revert.decisionId,
          startedAt: revert.startedAt.toISOString(),
          completedAt: revert.completedAt?.toISOString() ?? null,
        }
      : null,
    decisionId: imp.decisionId,
    manifestDigest: imp.manifestDigest,
    receipts: {
      planned: plan?.receiptId ?? null,
      committed: imp.receiptId,
      reverted: imp.revertReceiptId,
      chunks: chunks.flatMap((c) => (c.receiptId ? [c.receiptId] : [])).slice(0, listed),
    },
    startedAt: imp.startedAt.toISOString(),
    completedAt: imp.completedAt?.toISOString() ?? null,
    links: {
      self: base,
      plan: `/v1/imports/plans/${imp.planId}`,
      manifest: `${base}/manifest`,
      revert: `${base}/revert`,
      resume: `${base}/resume`,
    },
  };
}

export type ImportSummary = Awaited<ReturnType<typeof importSummary>>;

export async function getImport({ ctx, id }: { ctx: TenantCtx; id: string }) {
  return importSummary(ctx, await getImportRow(ctx, id));
}
