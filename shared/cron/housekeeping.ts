/**
 * The `housekeeping` cron task: deletes what nobody can use any more, a bounded batch per
 * run (the next run takes the rest).
 * - Idempotency keys past their 24 h (`expires_at`): the key may then be reused.
 * - Import plans never committed, `planRetentionDays` after they were made: their NDJSON
 *   rows and manifest in the object store (every run under `plans/<id>/`, racing dry runs'
 *   leftovers included) and the plan row; GET then answers 404 and the file can be planned
 *   again. Committed plans are kept: their import, revert and manifest read them. The
 *   `import.planned` receipt stays in the log.
 * - Upload slots `uploadRetentionHours` after they expired: the uploaded object, any
 *   snapshot a crashed plan left of it, and the slot. Planning copied the file to `sources/<sha256>`, so a source planned from an
 *   upload stays plannable by its digest.
 * - Sources (`sources/<sha256>` and their rows) that no plan names and no dry run used for
 *   `sourceRetentionDays`: a partner's file does not outlive its plans by more than that.
 *   The source of a committed import is kept with its plan.
 * A clock event, not a caller's action: no Cedar decision and no receipt.
 */
import type { Ctx } from "../context/context";
import { deleteExpiredKeys } from "../idempotency/idempotency-repo";
import { deleteUncommittedPlan, uncommittedPlansBefore } from "../imports/framework/plan/plans-repo";
import { stagingPrefix } from "../imports/framework/sources/sources";
import {
  deleteUnusedSource,
  deleteUpload,
  unusedSourcesBefore,
  uploadsExpiredBefore,
} from "../imports/framework/sources/sources-repo";
import type { ObjectStore } from "../platform/ports";

export const planRetentionDays = 7;
export const uploadRetentionHours = 24;
export const sourceRetentionDays = 7;
const batch = 200;

const hours = (n: number) => n * 60 * 60 * 1000;

async function deletePrefix(store: ObjectStore, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await store.list({ prefix, limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const object of page.objects) await store.delete(object.key);
    deleted += page.objects.length;
    cursor = page.cursor;
  } while (cursor);
  return deleted;
}

/** `imports/<tenant>/plans/<id>/<run>` → `imports/<tenant>/plans/<id>/`. */
const planFolder = (objectPrefix: string) => `${objectPrefix.slice(0, objectPrefix.lastIndexOf("/"))}/`;

export async function housekeeping(ctx: Ctx) {
  const now = ctx.clock.now();
  const idempotencyKeys = await deleteExpiredKeys(ctx.db, now, batch * 5);

  let plans = 0;
  let planObjects = 0;
  const plansBefore = new Date(now.getTime() - hours(24 * planRetentionDays));
  for (const plan of await uncommittedPlansBefore(ctx.db, plansBefore, batch)) {
    // The row goes first: once it is gone nothing can commit the plan, then its objects go.
    if (!(await deleteUncommittedPlan(ctx.db, plan.tenantId, plan.id))) continue;
    plans += 1;
    planObjects += await deletePrefix(ctx.store, planFolder(plan.objectPrefix));
  }

  let uploads = 0;
  const uploadsBefore = new Date(now.getTime() - hours(uploadRetentionHours));
  for (const upload of await uploadsExpiredBefore(ctx.db, uploadsBefore, batch)) {
    await ctx.store.delete(upload.objectKey);
    await deletePrefix(ctx.store, stagingPrefix(upload.tenantId, upload.id));
    await deleteUpload(ctx.db, upload.tenantId, upload.id);
    uploads += 1;
  }
  let sources = 0;
  const sourcesBefore = new Date(now.getTime() - hours(24 * sourceRetentionDays));
  for (const source of await unusedSourcesBefore(ctx.db, sourcesBefore, batch)) {
    const removeObject = (key: string) => ctx.store.delete(key);
    if (await deleteUnusedSource(ctx.db, { ...source, before: sourcesBefore }, removeObject)) sources += 1;
  }
  return { idempotencyKeys, plans, planObjects, uploads, sources };
}
