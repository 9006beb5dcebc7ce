/**
 * A plan is a row in import_plans and objects in the store (its rows, its manifest, and for
 * a sliced plan the source its create rows are read from). The store can lose them while
 * the row stays (a lost bucket, a database restored from an older backup): such a plan is
 * found by what is missing, planned again from its source when that is there, and
 * otherwise refused with a 409 that says what is gone and how to send the file again.
 */
import type { ImportPlan } from "../../../db/schema";
import type { ObjectStore } from "../../../platform/ports";
import { sliceKey } from "../sources/source-slices";
import { sourceKey } from "../sources/sources";
import { rowClasses } from "../types";
import { planObjectKey } from "./plan-store";

type StoredPlan = Pick<
  ImportPlan,
  "id" | "tenantId" | "sourceSha256" | "files" | "objectPrefix" | "sourceLayout" | "manifestKey"
>;

/** Each object the plan reads, by a name for people (`create/0`, `manifest`, `source`) and its key. */
function planObjects(plan: StoredPlan): [string, string][] {
  const objects: [string, string][] = [];
  for (const rowClass of rowClasses) {
    const sliced = rowClass === "create" && plan.sourceLayout;
    for (let file = 0; file < plan.files[rowClass]; file++) {
      const key = sliced
        ? sliceKey(plan.objectPrefix, file)
        : planObjectKey(plan.objectPrefix, rowClass, file);
      objects.push([`${rowClass}/${file}`, key]);
    }
  }
  objects.push(["manifest", plan.manifestKey]);
  if (plan.sourceLayout && plan.files.create > 0) {
    objects.push(["source", sourceKey(plan.tenantId, plan.sourceSha256)]);
  }
  return objects;
}

/**
 * The names of the plan's objects the store no longer has, empty when it has them all:
 * one listing of the plan's prefix (a page per thousand objects), not a request per object.
 */
export async function missingPlanObjects(store: ObjectStore, plan: StoredPlan): Promise<string[]> {
  const stored = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.list({ prefix: `${plan.objectPrefix}/`, cursor });
    for (const object of page.objects) stored.add(object.key);
    cursor = page.cursor;
  } while (cursor);
  const missing: string[] = [];
  for (const [name, key] of planObjects(plan)) {
    if (key.startsWith(`${plan.objectPrefix}/`) ? !stored.has(key) : !(await store.head(key))) {
      missing.push(name);
    }
  }
  return missing;
}
