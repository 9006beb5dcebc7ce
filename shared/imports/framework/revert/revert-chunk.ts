/**
 * The queue consumer's half of a revert: undoes one applied import chunk in ONE
 * transaction. The revert chunk row is taken FOR UPDATE first, so a duplicate or
 * redelivered message finds it reverted and does nothing; a crash mid-chunk rolls it all
 * back and the retry starts clean. Rows created are deleted, rows updated set back to their
 * planned "before"; a row changed since the revert was planned is left alone and recorded.
 * Each chunk leaves an `import.revert.chunk` receipt; the last one completes the revert.
 */
import type { Ctx } from "../../../context/context";
import type { Database } from "../../../db/client";
import { appendReceipt } from "../../../receipts/append";
import { stateOf } from "../../registry";
import { actingAs } from "../chunks/acting-as";
import { openChunk } from "../chunks/chunk-open";
import { type ChunkRef, runChunkStep } from "../chunks/chunk-step";
import { lockChunk } from "../commit/imports-repo";
import { findPlan } from "../plan/plans-repo";
import type { StateWrite } from "../types";
import { completeRevert } from "./revert-complete";
import { appliedRowsOf, loadRows, restore, touchedSince } from "./revert-rows";
import {
  countRevertedChunk,
  findRevert,
  lockRevertChunk,
  updateRevert,
  updateRevertChunk,
} from "./reverts-repo";

export async function revertImportChunk({
  ctx,
  input,
  delivery,
}: {
  ctx: Ctx;
  input: ChunkRef;
  delivery: { attempts: number };
}): Promise<void> {
  await runChunkStep(ctx, input, delivery.attempts, (tx) => revertInTransaction(ctx, tx, input), {
    what: "a revert chunk",
    markAttempt: (db, patch) => updateRevertChunk(db, input, patch),
    markParked: (db, message, attempts) =>
      updateRevert(db, input.tenantId, input.importId, {
        error: `Revert chunk ${input.chunkNo} failed ${attempts} times: ${message}. Chunks reverted before stay reverted (each is one transaction); the import stays reverting. Fix the cause and POST /v1/imports/${input.importId}/revert again to retry the rest.`,
      }),
  });
}

async function revertInTransaction(ctx: Ctx, tx: Database, ref: ChunkRef): Promise<void> {
  const opened = await openChunk(tx, ref, lockRevertChunk, "reverting");
  if (!opened) return;
  const { chunk, imp } = opened;
  const revert = await findRevert(tx, ref.tenantId, imp.id);
  const applied = await lockChunk(tx, ref.tenantId, imp.id, ref.chunkNo);
  const plan = await findPlan(tx, ref.tenantId, imp.planId);
  if (!revert || !applied || !plan) {
    throw new Error(`revert of import ${imp.id} has lost its revert, chunk or plan`);
  }
  const receiptCtx = await actingAs(ctx, tx, ref.tenantId, revert);
  const rows = await appliedRowsOf(ctx.store, plan, applied);
  const current = await loadRows(
    tx,
    imp,
    rows.map((r) => r.key ?? ""),
    true,
  );
  const skipped: string[] = [];
  const deletes: string[] = [];
  const restores: StateWrite[] = [];
  for (const row of rows) {
    const key = row.key ?? "";
    const now = current.get(key);
    if (touchedSince(imp, row, now).length > 0) skipped.push(key);
    else if (row.action === "create") deletes.push(key);
    else restores.push(restore(row, now));
  }
  const state = stateOf(imp.kind);
  const now = ctx.clock.now();
  await state.remove(tx, imp.tenantId, deletes);
  await state.write(tx, {
    tenantId: imp.tenantId,
    importId: `revert:${imp.id}`,
    now,
    creates: [],
    updates: restores,
  });
  const done = { deleted: deletes.length, restored: restores.length, skipped: skipped.length };
  const { receipt } = await appendReceipt({
    ctx: receiptCtx,
    input: {
      kind: "import.revert.chunk",
      subject: `import:${imp.id}`,
      idempotencyKey: `${imp.id}:revert:${ref.chunkNo}`,
      decisionId: revert.decisionId,
      links: [imp.id, plan.id, revert.decisionId],
      details: { chunkNo: ref.chunkNo, rowClass: applied.rowClass, ...done, skippedKeys: skipped },
    },
  });
  await updateRevertChunk(tx, ref, {
    status: "reverted",
    attempts: chunk.attempts + 1,
    ...done,
    skipped,
    receiptId: receipt.id,
    revertedAt: now,
    lastError: null,
  });
  const counted = await countRevertedChunk(tx, ref, done);
  if (counted && counted.chunksDone >= counted.chunksTotal)
    await completeRevert(receiptCtx, imp, counted, plan);
}
