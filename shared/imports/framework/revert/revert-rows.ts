/**
 * What a revert compares and writes, shared by planning it (revert.ts) and applying it
 * chunk by chunk (revert-chunk.ts): the rows an import chunk applied, whether a later change
 * touched them, and the state that sets an update back.
 */
import type { Database } from "../../../db/client";
import type { Import, ImportChunk, ImportPlan } from "../../../db/schema";
import type { ObjectStore } from "../../../platform/ports";
import { stateOf } from "../../registry";
import type { JsonValue } from "../../types";
import { sameValue } from "../plan/diff";
import { readPlanObject } from "../plan/plan-store";
import type { CurrentRow, Fields, PlanRow, StateWrite } from "../types";

export interface Touched {
  row: number;
  key: string;
  field?: string;
  imported: JsonValue;
  now: JsonValue;
}

/** The rows an applied import chunk wrote (its plan object minus the rows skipped there). */
export async function appliedRowsOf(store: ObjectStore, plan: ImportPlan, chunk: ImportChunk) {
  const skipped = new Set(chunk.skipped);
  const rows = await readPlanObject(store, plan, chunk.rowClass, chunk.file);
  return rows
    .filter((r) => r.key && !skipped.has(r.key))
    .map((r): PlanRow => ({ ...r, action: chunk.rowClass }));
}

/** Why `row` may not be set back: every way the tenant's row differs from what the import wrote. */
export function touchedSince(imp: Import, row: PlanRow, now: CurrentRow | undefined): Touched[] {
  const key = row.key ?? "";
  if (!now) return [{ row: row.row, key, imported: (row.fields ?? null) as JsonValue, now: null }];
  const out: Touched[] = [];
  if (stateOf(imp.kind).tracksImports && now.lastImportId !== imp.id) {
    out.push({ row: row.row, key, field: "lastImportId", imported: imp.id, now: now.lastImportId ?? null });
  }
  for (const [field, value] of Object.entries(row.fields ?? {})) {
    const actual = now.fields[field] ?? null;
    if (!sameValue(value, actual)) out.push({ row: row.row, key, field, imported: value, now: actual });
  }
  return out;
}

/** An update set back: the current row with the planned "before" of each field it changed. */
export function restore(row: PlanRow, now: CurrentRow | undefined): StateWrite {
  const before: Fields = {};
  for (const [field, change] of Object.entries(row.changes ?? {})) before[field] = change.before;
  return { key: row.key ?? "", entity: row.entity ?? "", fields: { ...now?.fields, ...before } };
}

/** Current rows for `keys`, 5,000 keys per query. */
export async function loadRows(db: Database, imp: Import, keys: string[], lock: boolean) {
  const state = stateOf(imp.kind);
  const out = new Map<string, CurrentRow>();
  for (let i = 0; i < keys.length; i += 5_000) {
    for (const [k, v] of await state.load(db, imp.tenantId, keys.slice(i, i + 5_000), lock)) out.set(k, v);
  }
  return out;
}
