/**
 * `listImports`: the tenant's imports, newest first, cursor pages, filtered by kind and
 * status. Each item is the import without its per-chunk detail (GET /v1/imports/{id} has
 * that): one query per page, whatever the imports' sizes.
 */
import type { TenantCtx } from "../../../context/context";
import type { ImportStatus } from "../../../db/schema";
import { decodeCursor, pageOf } from "../../../pagination/cursor";
import type { ImportKind } from "../../types";
import { listImportRows } from "./imports-list-repo";

export interface ListImportsInput {
  limit: number;
  cursor?: string;
  kind?: ImportKind;
  status?: ImportStatus;
}

export async function listImports({ ctx, input }: { ctx: TenantCtx; input: ListImportsInput }) {
  const rows = await listImportRows(ctx.db, ctx.tenant.id, { ...input, after: decodeCursor(input.cursor) });
  const page = pageOf(
    rows.map((r) => ({ ...r, id: r.imp.id, createdAt: r.imp.createdAt })),
    input.limit,
  );
  return {
    items: page.items.map(({ imp, sourceSha256, sourceName }) => ({
      id: imp.id,
      planId: imp.planId,
      kind: imp.kind,
      status: imp.status,
      source: { sha256: sourceSha256, name: sourceName },
      counts: imp.counts,
      progress: {
        chunksDone: imp.chunksDone,
        chunksTotal: imp.chunksTotal,
        rowsTotal: imp.rowsTotal,
        rowsApplied: imp.rowsApplied,
        rowsSkipped: imp.rowsSkipped,
      },
      error: imp.error,
      actor: { type: imp.actorType, id: imp.actorId },
      receipts: { committed: imp.receiptId, reverted: imp.revertReceiptId },
      startedAt: imp.startedAt.toISOString(),
      completedAt: imp.completedAt?.toISOString() ?? null,
      links: { self: `/v1/imports/${imp.id}`, plan: `/v1/imports/plans/${imp.planId}` },
    })),
    nextCursor: page.nextCursor,
  };
}
