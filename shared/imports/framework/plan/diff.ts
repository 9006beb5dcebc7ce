/**
 * Diff one record against the tenant's row: create / update (field-level before → after,
 * only for the fields the record carries) / unchanged / conflict.
 *
 * Conflict: the row exists and (a) its last write was not an import (`last_import_id` null:
 * created or edited through the API since), unless the plan says `onConflict: overwrite`;
 * or (b) it was last written by an import that is still applying (two imports racing).
 * Kinds that do not track provenance (identities) never conflict on (a).
 */
import canonicalize from "canonicalize";
import type { JsonValue } from "../../types";
import type { CurrentRow, FieldChange, Fields, RowClass } from "../types";

export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const left = a ?? null;
  const right = b ?? null;
  if (left === right) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) return false;
  return canonicalize(left) === canonicalize(right);
}

/** The fields of `fields` whose value differs in `current`. */
export function changesOf(fields: Fields, current: Fields): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const [name, after] of Object.entries(fields)) {
    const before = current[name];
    if (!sameValue(before, after)) changes[name] = { before: before ?? null, after };
  }
  return changes;
}

export interface Classified {
  action: Exclude<RowClass, "reject">;
  changes?: Record<string, FieldChange>;
  conflict?: { code: string; message: string; hint?: string };
}

export function classify(
  fields: Fields,
  current: CurrentRow | undefined,
  options: { onConflict: "skip" | "overwrite"; applying: ReadonlySet<string> },
): Classified {
  if (!current) return { action: "create" };
  const changes = changesOf(fields, current.fields);
  if (Object.keys(changes).length === 0) return { action: "unchanged" };
  const writer = current.lastImportId;
  if (writer && options.applying.has(writer)) {
    return {
      action: "conflict",
      changes,
      conflict: {
        code: "import_in_progress",
        message: `Import ${writer} is applying and wrote this row; its outcome is not settled.`,
        hint: "Plan again when that import has completed.",
      },
    };
  }
  if (writer === null && options.onConflict === "skip") {
    return {
      action: "conflict",
      changes,
      conflict: {
        code: "changed_outside_import",
        message:
          "The row was created or changed in Switchboard, not by an import; importing would overwrite it.",
        hint: "Review the changes; plan again with onConflict=overwrite to apply them.",
      },
    };
  }
  return { action: "update", changes };
}
