/**
 * The queue consumer's half of a commit: applies one chunk in ONE transaction. The chunk
 * row is taken FOR UPDATE first, so a duplicate or redelivered message finds it applied
 * and does nothing; a crash mid-chunk rolls everything back and the retry starts clean.
 * Rows whose state moved since the plan are skipped (recorded), never applied unreviewed.
 * The last chunk completes the import in the same transaction. Nothing else is enqueued.
 */
import type { Ctx } from "../../../context/context";
import type { Database } from "../../../db/client";
import type { Import, ImportChunk, ImportPlan } from "../../../db/schema";
import { appendReceipt } from "../../../receipts/append";
import { stateOf } from "../../registry";
import { actingAs } from "../chunks/acting-as";
import { openChunk } from "../chunks/chunk-open";
import { type ChunkRef, runChunkStep } from "../chunks/chunk-step";
import { planObject, readPlanObject } from "../plan/plan-store";
import { findPlan } from "../plan/plans-repo";
import type { StateWrite } from "../types";
import { completeImport } from "./complete";
import { countAppliedChunk, lockChunk, updateChunk, updateImport } from "./imports-repo";
import { staleFields } from "./stale";

export async function applyImportChunk({
  ctx,
  input,
  delivery,
}: {
  ctx: Ctx;
  input: ChunkRef;
  delivery: { attempts: number };
}): Promise<void> {
  await runChunkStep(ctx, input, delivery.attempts, (tx) => applyInTransaction(ctx, tx, input), {
    what: "an import chunk",
    markAttempt: (db, patch) => updateChunk(db, input, patch),
    markParked: (db, message, attempts) =>
      updateImport(db, input.tenantId, input.importId, {
        status: "failed",
        error: `Chunk ${input.chunkNo} failed ${attempts} times: ${message}. Chunks applied before stay applied (each is one transaction). Fix the cause and POST /v1/imports/${input.importId}/resume to retry the rest, or POST /v1/imports/${input.importId}/revert to undo what was applied.`,
        updatedAt: ctx.clock.now(),
      }),
  });
}

async function applyInTransaction(ctx: Ctx, tx: Database, ref: ChunkRef): Promise<void> {
  const opened = await openChunk(
    tx,
    ref,
    (db, r) => lockChunk(db, r.tenantId, r.importId, r.chunkNo),
    "applying",
  );
  if (!opened) return;
  const { chunk, imp } = opened;
  const plan = await findPlan(tx, ref.tenantId, imp.planId);
  if (!plan) throw new Error(`import ${imp.id} has lost its plan`);
  const receiptCtx = await actingAs(ctx, tx, ref.tenantId, imp);
  const now = ctx.clock.now();
  const { applied, skipped } = await writeRows(ctx, tx, { chunk, imp, plan, now });
  const counted = await countAppliedChunk(tx, ref.tenantId, imp.id, {
    rows: applied,
    skipped: skipped.length,
    at: now,
  });
  const { receipt } = await appendReceipt({
    ctx: receiptCtx,
    input: {
      kind: "import.chunk.applied",
      subject: `import:${imp.id}`,
      idempotencyKey: `${imp.id}:${chunk.chunkNo}`,
      decisionId: imp.decisionId,
      links: [imp.id, plan.id],
      details: { chunkNo: chunk.chunkNo, rowClass: chunk.rowClass, applied, skipped },
    },
  });
  await updateChunk(tx, ref, {
    status: "applied",
    attempts: chunk.attempts + 1,
    applied,
    skipped,
    appliedAt: now,
    receiptId: receipt.id,
    lastError: null,
  });
  if (counted && counted.chunksDone >= counted.chunksTotal) await completeImport(receiptCtx, counted, plan);
}

async function writeRows(
  ctx: Ctx,
  tx: Database,
  input: { chunk: ImportChunk; imp: Import; plan: ImportPlan; now: Date },
): Promise<{ applied: number; skipped: string[] }> {
  const { chunk, imp, plan } = input;
  const state = stateOf(imp.kind);
  if (chunk.rowClass === "create" && state.insertPlanned) {
    const object = planObject(ctx.store, plan, chunk.rowClass, chunk.file);
    const { tenantId, id: importId } = imp;
    return state.insertPlanned(tx, { tenantId, importId, now: input.now, object, copyIn: ctx.copyIn });
  }
  const rows = await readPlanObject(ctx.store, plan, chunk.rowClass, chunk.file);
  const keys = rows.flatMap((row) => (row.key ? [row.key] : []));
  const current = await state.load(tx, imp.tenantId, keys, true);
  const creates: StateWrite[] = [];
  const updates: StateWrite[] = [];
  const skipped: string[] = [];
  for (const row of rows) {
    const key = row.key ?? "";
    const now = current.get(key);
    if (staleFields(row, chunk.rowClass, now).length > 0) {
      skipped.push(key);
      continue;
    }
    const fields = row.fields ?? {};
    if (chunk.rowClass === "create") creates.push({ key, entity: row.entity ?? "", fields });
    else updates.push({ key, entity: row.entity ?? "", fields: { ...now?.fields, ...fields } });
  }
  await state.write(tx, { tenantId: imp.tenantId, importId: imp.id, now: input.now, creates, updates });
  return { applied: creates.length + updates.length, skipped };
}
