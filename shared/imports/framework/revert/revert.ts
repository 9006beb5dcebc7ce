/**
 * `revertImport`: undoes a committed (or failed, partly applied) import while no later
 * change touched its rows. Planned first, chunk by chunk: every row it applied must still be
 * exactly what it wrote (and, where the kind tracks it, last written by it), else 409
 * listing the rows touched since and nothing is reverted. Then policy (import, dryRun
 * false, grantsAdmin when restoring an admin), then the import becomes `reverting` (which
 * holds the kind's slot like `applying`) and each applied chunk gets one
 * `import.revert-chunk` message: revert-chunk.ts undoes it in one transaction. Asking again
 * while it reverts re-queues what is not done (dead chunks included); once reverted it
 * returns the import as it is.
 */
import type { TenantCtx } from "../../../context/context";
import { isUniqueViolation } from "../../../db/errors";
import type { Import, ImportChunk, ImportPlan } from "../../../db/schema";
import { AppError } from "../../../errors/app-error";
import { enforce } from "../../../policy/authorize";
import { stateOf } from "../../registry";
import type { ImportKind } from "../../types";
import { applyingImports, listChunks, lockImport, updateImport } from "../commit/imports-repo";
import { importRequest } from "../import-request";
import { findPlan } from "../plan/plans-repo";
import { getImportRow } from "../views/import-view";
import { completeRevert } from "./revert-complete";
import { appliedRowsOf, loadRows, restore, type Touched, touchedSince } from "./revert-rows";
import { insertRevert, listRevertChunks, reviveDeadRevertChunks, updateRevert } from "./reverts-repo";

const listed = 100;

const busy = (kind: string) =>
  new AppError("conflict", `An import of ${kind} is applying or reverting; revert when it has finished.`, {
    importCode: "import_in_progress",
  });

/** Reads every applied chunk once (one state query per chunk): the rows touched since, and whether setting back grants admin. */
async function planRevert(ctx: TenantCtx, imp: Import, plan: ImportPlan, chunks: ImportChunk[]) {
  const state = stateOf(imp.kind);
  const touched: Touched[] = [];
  const touchedKeys = new Set<string>();
  let touchedTotal = 0;
  let grantsAdmin = false;
  for (const chunk of chunks) {
    const rows = await appliedRowsOf(ctx.store, plan, chunk);
    const current = await loadRows(
      ctx.db,
      imp,
      rows.map((r) => r.key ?? ""),
      false,
    );
    for (const row of rows) {
      const now = current.get(row.key ?? "");
      const found = touchedSince(imp, row, now);
      if (found.length > 0) {
        touchedKeys.add(row.key ?? "");
        touchedTotal += found.length;
        for (const t of found) if (touched.length < listed) touched.push(t);
      } else if (row.action === "update" && state.grantsAdmin?.(restore(row, now).fields, row.fields)) {
        grantsAdmin = true;
      }
    }
  }
  if (touchedTotal > 0) {
    throw new AppError(
      "conflict",
      `Import ${imp.id} cannot be reverted: ${touchedKeys.size} of its rows changed since it applied them. Nothing was reverted.`,
      { importCode: "touched_since", touchedRows: touched, touchedTotal },
    );
  }
  return { grantsAdmin };
}

export async function revertImport({ ctx, id }: { ctx: TenantCtx; id: string }) {
  const imp = await getImportRow(ctx, id);
  if (imp.status === "reverted") return { import: imp, created: false };
  if (imp.status === "reverting") return { import: await requeueRevert(ctx, imp), created: false };
  const kind = imp.kind as ImportKind;
  if (imp.status === "applying" || (await applyingImports(ctx.db, ctx.tenant.id, kind)).length > 0) {
    throw busy(kind);
  }
  const plan = await findPlan(ctx.db, ctx.tenant.id, imp.planId);
  if (!plan) throw new AppError("not_found", `Import ${id} has no plan.`);
  const chunks = (await listChunks(ctx.db, ctx.tenant.id, imp.id)).filter((c) => c.status === "applied");
  const { grantsAdmin } = await planRevert(ctx, imp, plan, chunks);
  const decision = await enforce({
    ctx,
    input: importRequest(ctx, imp.id, { dryRun: false, grantsAdmin }),
  });
  const started = await ctx.db
    .transaction(async (tx) => {
      const locked = await lockImport(tx, ctx.tenant.id, imp.id);
      if (!locked || (locked.status !== "completed" && locked.status !== "failed")) {
        return { row: locked ?? imp, started: false };
      }
      const at = ctx.clock.now();
      const reverting = await updateImport(tx, ctx.tenant.id, imp.id, { status: "reverting", updatedAt: at });
      const revert = await insertRevert(
        tx,
        {
          tenantId: ctx.tenant.id,
          importId: imp.id,
          actorType: ctx.actor.type,
          actorId: ctx.actor.id,
          actorRole: ctx.actor.role,
          decisionId: decision.id,
          chunksTotal: chunks.length,
          startedAt: at,
          createdAt: at,
        },
        chunks.map((c) => c.chunkNo),
      );
      if (!reverting) throw new Error(`import ${imp.id} vanished`);
      if (chunks.length > 0) return { row: reverting, started: true };
      return { row: await completeRevert({ ...ctx, db: tx }, reverting, revert, plan), started: true };
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw busy(kind);
      throw error;
    });
  if (started.started)
    await sendChunks(
      ctx,
      imp.id,
      chunks.map((c) => c.chunkNo),
    );
  return { import: started.row, created: started.started };
}

async function sendChunks(ctx: TenantCtx, importId: string, chunkNos: number[]) {
  for (const chunkNo of chunkNos) {
    await ctx.queue.send({ v: 1, type: "import.revert-chunk", tenantId: ctx.tenant.id, importId, chunkNo });
  }
}

/** A revert asked again while it runs: dead chunks become pending and every pending chunk is re-sent. */
async function requeueRevert(ctx: TenantCtx, imp: Import): Promise<Import> {
  await enforce({
    ctx,
    input: importRequest(ctx, imp.id, { dryRun: false, grantsAdmin: false }),
  });
  await ctx.db.transaction(async (tx) => {
    await reviveDeadRevertChunks(tx, ctx.tenant.id, imp.id);
    await updateRevert(tx, ctx.tenant.id, imp.id, { error: null });
  });
  const pending = (await listRevertChunks(ctx.db, ctx.tenant.id, imp.id)).filter(
    (c) => c.status === "pending",
  );
  await sendChunks(
    ctx,
    imp.id,
    pending.map((c) => c.chunkNo),
  );
  return getImportRow(ctx, imp.id);
}
