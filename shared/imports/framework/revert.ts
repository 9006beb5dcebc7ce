/**
 * `revertImport`: undoes a committed (or failed, partly applied) import while no later
 * change touched its rows. Planned first: every row it applied must still be exactly what it
 * wrote (and, where the kind tracks it, last written by it), else 409 listing the rows
 * touched since. Then policy (import, dryRun false, grantsAdmin when restoring an admin),
 * then one transaction: created rows deleted, updated fields set back, `import.reverted`.
 */
import type { TenantCtx } from "../../context/context";
import type { Database } from "../../db/client";
import type { Import, ImportPlan } from "../../db/schema";
import { AppError } from "../../errors/app-error";
import { enforce } from "../../policy/authorize";
import { appendReceipt } from "../../receipts/append";
import { stateModules } from "../state";
import type { ImportKind, JsonValue } from "../types";
import { sameValue } from "./diff";
import { getImportRow } from "./import-view";
import { applyingImports, listChunks, lockImport, updateImport } from "./imports-repo";
import { readPlanObject } from "./plan-store";
import { bumpWatermark, findPlan } from "./plans-repo";
import type { CurrentRow, Fields, PlanRow, StateWrite } from "./types";

interface Touched {
  row: number;
  key: string;
  field?: string;
  imported: JsonValue;
  now: JsonValue;
}

/** The rows the import actually applied (applied chunks, minus rows skipped there). */
async function appliedRows(ctx: TenantCtx, imp: Import, plan: ImportPlan): Promise<PlanRow[]> {
  const out: PlanRow[] = [];
  for (const chunk of await listChunks(ctx.db, ctx.tenant.id, imp.id)) {
    if (chunk.status !== "applied") continue;
    const skipped = new Set(chunk.skipped);
    const rows = await readPlanObject(ctx.store, plan.objectPrefix, chunk.rowClass, chunk.file);
    out.push(
      ...rows.filter((r) => r.key && !skipped.has(r.key)).map((r) => ({ ...r, action: chunk.rowClass })),
    );
  }
  return out;
}

function touchedSince(imp: Import, row: PlanRow, now: CurrentRow | undefined, tracks: boolean): Touched[] {
  const key = row.key ?? "";
  if (!now) return [{ row: row.row, key, imported: (row.fields ?? null) as JsonValue, now: null }];
  const out: Touched[] = [];
  if (tracks && now.lastImportId !== imp.id) {
    out.push({ row: row.row, key, field: "lastImportId", imported: imp.id, now: now.lastImportId ?? null });
  }
  for (const [field, value] of Object.entries(row.fields ?? {})) {
    const actual = now.fields[field] ?? null;
    if (!sameValue(value, actual)) out.push({ row: row.row, key, field, imported: value, now: actual });
  }
  return out;
}

async function loadAll(db: Database, tenantId: string, kind: ImportKind, keys: string[], lock: boolean) {
  const state = stateModules[kind];
  const out = new Map<string, CurrentRow>();
  for (let i = 0; i < keys.length; i += 5_000) {
    for (const [k, v] of await state.load(db, tenantId, keys.slice(i, i + 5_000), lock)) out.set(k, v);
  }
  return out;
}

function check(imp: Import, rows: PlanRow[], current: Map<string, CurrentRow>) {
  const tracks = stateModules[imp.kind as ImportKind].tracksImports;
  const touched = rows.flatMap((r) => touchedSince(imp, r, current.get(r.key ?? ""), tracks));
  if (touched.length === 0) return;
  throw new AppError(
    "conflict",
    `Import ${imp.id} cannot be reverted: ${new Set(touched.map((t) => t.key)).size} of its rows changed since it applied them. Nothing was reverted.`,
    { importCode: "touched_since", touchedRows: touched.slice(0, 100), touchedTotal: touched.length },
  );
}

const restore = (row: PlanRow, now: CurrentRow | undefined): StateWrite => {
  const before: Fields = {};
  for (const [field, change] of Object.entries(row.changes ?? {})) before[field] = change.before;
  return { key: row.key ?? "", entity: row.entity ?? "", fields: { ...now?.fields, ...before } };
};

export async function revertImport({ ctx, id }: { ctx: TenantCtx; id: string }) {
  const imp = await getImportRow(ctx, id);
  if (imp.status === "reverted") return { import: imp, created: false };
  const kind = imp.kind as ImportKind;
  if (imp.status === "applying" || (await applyingImports(ctx.db, ctx.tenant.id, kind)).length > 0) {
    throw new AppError("conflict", `An import of ${kind} is applying; revert when it has finished.`, {
      importCode: "import_in_progress",
    });
  }
  const plan = await findPlan(ctx.db, ctx.tenant.id, imp.planId);
  if (!plan) throw new AppError("not_found", `Import ${id} has no plan.`);
  const rows = await appliedRows(ctx, imp, plan);
  const keys = rows.map((r) => r.key ?? "");
  const state = stateModules[kind];
  const current = await loadAll(ctx.db, ctx.tenant.id, kind, keys, false);
  check(imp, rows, current);
  const grantsAdmin = rows.some(
    (r) =>
      r.action === "update" &&
      (state.grantsAdmin?.(restore(r, current.get(r.key ?? "")).fields, r.fields) ?? false),
  );
  const decision = await enforce({
    ctx,
    input: {
      action: "import",
      resource: { type: "Import", id: imp.id, tenantId: ctx.tenant.id },
      context: { dryRun: false, grantsAdmin },
    },
  });
  const reverted = await ctx.db.transaction(async (tx) => {
    const locked = await lockImport(tx, ctx.tenant.id, imp.id);
    if (!locked || locked.status === "reverted") return locked ?? imp;
    const now = await loadAll(tx, ctx.tenant.id, kind, keys, true);
    check(imp, rows, now);
    const at = ctx.clock.now();
    await state.remove(
      tx,
      ctx.tenant.id,
      rows.filter((r) => r.action === "create").map((r) => r.key ?? ""),
    );
    const updates = rows.filter((r) => r.action === "update").map((r) => restore(r, now.get(r.key ?? "")));
    await state.write(tx, {
      tenantId: ctx.tenant.id,
      importId: `revert:${imp.id}`,
      now: at,
      creates: [],
      updates,
    });
    await bumpWatermark(tx, ctx.tenant.id, kind, at);
    const { receipt } = await appendReceipt({
      ctx: { ...ctx, db: tx },
      input: {
        kind: "import.reverted",
        subject: `import:${imp.id}`,
        idempotencyKey: `${imp.id}:revert`,
        decisionId: decision.id,
        links: [imp.id, plan.id, decision.id, ...(imp.receiptId ? [imp.receiptId] : [])],
        details: { deleted: rows.length - updates.length, restored: updates.length, kind },
      },
    });
    const patch = { status: "reverted" as const, revertReceiptId: receipt.id, updatedAt: at };
    return (await updateImport(tx, ctx.tenant.id, imp.id, patch)) ?? imp;
  });
  return { import: reverted, created: true };
}
