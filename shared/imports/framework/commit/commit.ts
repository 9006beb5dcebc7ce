/**
 * `commitPlan`: applies exactly a reviewed plan. Policy first (import, dryRun false); one
 * import per plan (unique), so concurrent or repeated commits all get the same import; a
 * plan whose rows moved since it was made is refused with the stale rows and a re-plan
 * link; one import of a kind applies at a time. The rows are applied by the queue, one
 * `import.chunk` message per plan object.
 */
import type { TenantCtx } from "../../../context/context";
import type { Import, ImportPlan } from "../../../db/schema";
import { AppError } from "../../../errors/app-error";
import { newId } from "../../../ids/ids";
import { enforce } from "../../../policy/authorize";
import type { ImportKind } from "../../types";
import { importRequest } from "../import-request";
import { holdPlan, readWatermark } from "../plan/plans-repo";
import { applyClasses } from "../types";
import { getPlan } from "../views/plan-view";
import { completeImport } from "./complete";
import {
  applyingImports,
  findCompletedByContent,
  findImportByPlan,
  insertChunks,
  insertImport,
} from "./imports-repo";
import { staleRows } from "./stale";

export interface CommitResult {
  import: Import;
  /** False when this plan (or the same content, with nothing left to change) was committed before. */
  created: boolean;
}

function chunkPlan(plan: ImportPlan, importId: string) {
  const rows = (action: "create" | "update", file: number) => {
    const count = plan.counts[action];
    return Math.min(plan.rowsPerChunk, count - file * plan.rowsPerChunk);
  };
  let chunkNo = 0;
  return applyClasses.flatMap((rowClass) =>
    Array.from({ length: plan.files[rowClass] }, (_, file) => ({
      tenantId: plan.tenantId,
      importId,
      chunkNo: chunkNo++,
      rowClass,
      file,
      rows: rows(rowClass, file),
    })),
  );
}

async function refuseIfStale(ctx: TenantCtx, plan: ImportPlan) {
  if ((await readWatermark(ctx.db, ctx.tenant.id, plan.kind as ImportKind)) === plan.watermark) return;
  const stale = await staleRows(ctx, plan);
  if (stale.total === 0) return;
  throw new AppError(
    "conflict",
    `The ${plan.kind} state changed since plan ${plan.id} was made: ${stale.total} planned row(s) no longer hold what was reviewed. Nothing was applied.`,
    {
      importCode: "stale_plan",
      staleRows: stale.rows,
      staleTotal: stale.total,
      replan: { method: "POST", href: "/v1/imports", body: replanBody(plan) },
    },
  );
}

export const replanBody = (plan: ImportPlan) => ({
  kind: plan.kind,
  format: plan.format,
  source: plan.sourceSha256,
  mapping: plan.mapping,
  options: plan.options,
  onConflict: plan.onConflict,
});

export async function commitPlan({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<CommitResult> {
  const plan = await getPlan({ ctx, id });
  const decision = await enforce({
    ctx,
    input: importRequest(ctx, plan.id, { dryRun: false, grantsAdmin: plan.grantsAdmin }),
  });
  const existing = await findImportByPlan(ctx.db, ctx.tenant.id, plan.id);
  if (existing) return { import: existing, created: false };
  if (plan.counts.create + plan.counts.update === 0) {
    const same = await findCompletedByContent(ctx.db, ctx.tenant.id, plan.contentKey);
    if (same) return { import: same, created: false };
  }
  await refuseIfStale(ctx, plan);

  const importId = newId("imp");
  const chunks = chunkPlan(plan, importId);
  const now = ctx.clock.now();
  const created = await ctx.db.transaction(async (tx) => {
    if (!(await holdPlan(tx, ctx.tenant.id, plan.id))) {
      throw new AppError(
        "not_found",
        `Import plan ${plan.id} has expired and was deleted; plan the file again.`,
        {
          importCode: "plan_expired",
          replan: { method: "POST", href: "/v1/imports", body: replanBody(plan) },
        },
      );
    }
    const row = await insertImport(tx, {
      id: importId,
      tenantId: ctx.tenant.id,
      planId: plan.id,
      kind: plan.kind,
      chunksTotal: chunks.length,
      rowsTotal: plan.counts.create + plan.counts.update,
      counts: plan.counts,
      contentKey: plan.contentKey,
      manifestDigest: plan.manifestDigest,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      actorRole: ctx.actor.role,
      decisionId: decision.id,
      startedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    if (!row) return undefined;
    if (chunks.length > 0) {
      await insertChunks(tx, chunks);
      return row;
    }
    return completeImport({ ...ctx, db: tx }, row, plan);
  });
  if (!created) return { import: await sameOrBusy(ctx, plan), created: false };
  for (const chunk of chunks) {
    await ctx.queue.send({
      v: 1,
      type: "import.chunk",
      tenantId: ctx.tenant.id,
      importId,
      chunkNo: chunk.chunkNo,
    });
  }
  return { import: created, created: true };
}

/** After a refused insert: this plan's import (a concurrent commit won), or 409 for another one applying. */
async function sameOrBusy(ctx: TenantCtx, plan: ImportPlan): Promise<Import> {
  const same = await findImportByPlan(ctx.db, ctx.tenant.id, plan.id);
  if (same) return same;
  const [busy] = await applyingImports(ctx.db, ctx.tenant.id, plan.kind);
  throw new AppError(
    "conflict",
    `Import ${busy?.id ?? "(another)"} of ${plan.kind} is still applying; two imports of one kind never interleave.`,
    {
      importCode: "import_in_progress",
      importId: busy?.id,
      hint: `Wait for it to complete (GET /v1/imports/${busy?.id ?? "{id}"}), then plan again: its changes may make this plan stale.`,
    },
  );
}
