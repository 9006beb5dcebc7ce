/**
 * Is a plan still what the state is? The watermark says cheaply that nothing of the kind
 * changed; when it moved, every row the commit would apply is re-read (one query per plan
 * object) and compared with what the partner reviewed: a create whose key now exists, an
 * update whose fields no longer hold the planned "before", and, for kinds that track
 * provenance in an `onConflict: skip` plan, an update of a row that was changed outside an
 * import since (`last_import_id` cleared: an API or console edit, even of a field the file
 * does not carry). Such a plan classified the row as import-written, so it never reviewed
 * overwriting that edit.
 */
import type { TenantCtx } from "../../../context/context";
import type { ImportPlan } from "../../../db/schema";
import { stateOf } from "../../registry";
import type { JsonValue } from "../../types";
import { sameValue } from "../plan/diff";
import { planRows } from "../plan/plan-store";
import { type ApplyClass, applyClasses, type CurrentRow, type PlanRow } from "../types";

export interface StaleRow {
  row: number;
  key: string;
  /** The field that moved; absent when the whole row appeared or vanished. */
  field?: string;
  planned: JsonValue;
  now: JsonValue;
}

/** The row's last writer moved from an import to the API since the plan. */
const writerMoved = (row: PlanRow): StaleRow => ({
  row: row.row,
  key: row.key ?? "",
  field: "writer",
  planned: "import",
  now: "api",
});

/** Why `row` no longer applies as planned, field by field (empty: it still does). */
export function staleFields(row: PlanRow, action: ApplyClass, now: CurrentRow | undefined): StaleRow[] {
  const key = row.key ?? "";
  if (action === "create") {
    return now ? [{ row: row.row, key, planned: null, now: now.fields as JsonValue }] : [];
  }
  if (!now) return [{ row: row.row, key, planned: (row.fields ?? null) as JsonValue, now: null }];
  const out: StaleRow[] = [];
  for (const [field, after] of Object.entries(row.fields ?? {})) {
    const planned = row.changes?.[field] ? row.changes[field].before : after;
    const actual = now.fields[field] ?? null;
    if (!sameValue(planned, actual)) out.push({ row: row.row, key, field, planned, now: actual });
  }
  return out;
}

export async function staleRows(
  ctx: Pick<TenantCtx, "db" | "store" | "tenant">,
  plan: ImportPlan,
  listed = 100,
): Promise<{ rows: StaleRow[]; total: number }> {
  const state = stateOf(plan.kind);
  const guardsWriter = state.tracksImports && plan.onConflict === "skip";
  const rows: StaleRow[] = [];
  let total = 0;
  for (const action of applyClasses) {
    for await (const objectRows of planRows(ctx.store, plan, action)) {
      const current = await state.load(
        ctx.db,
        ctx.tenant.id,
        objectRows.flatMap((r) => (r.key ? [r.key] : [])),
      );
      for (const row of objectRows) {
        const now = row.key ? current.get(row.key) : undefined;
        const stale = staleFields(row, action, now);
        if (guardsWriter && action === "update" && now?.lastImportId === null) stale.push(writerMoved(row));
        if (stale.length === 0) continue;
        total += 1;
        for (const entry of stale) if (rows.length < listed) rows.push(entry);
      }
    }
  }
  return { rows, total };
}
