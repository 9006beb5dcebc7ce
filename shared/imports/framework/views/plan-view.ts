/** Reading plans back: the summary with the first page of each class, and row pages. */
import type { TenantCtx } from "../../../context/context";
import type { ImportPlan } from "../../../db/schema";
import { AppError } from "../../../errors/app-error";
import { planObject } from "../plan/plan-store";
import { findPlan } from "../plan/plans-repo";
import { type PlanRow, type RowClass, rowClasses } from "../types";

export const firstPageSize = 20;

const invalidCursor = () =>
  new AppError("validation_failed", "The cursor is not one this API issued.", {
    errors: [
      {
        pointer: "/cursor",
        in: "query",
        code: "invalid_cursor",
        message: "Pass back `nextCursor` unchanged.",
      },
    ],
  });

const encode = (file: number, offset: number) =>
  btoa(JSON.stringify([file, offset]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

function decode(cursor: string | undefined): [number, number] {
  if (cursor === undefined) return [0, 0];
  try {
    const value = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      return [value[0] as number, value[1] as number];
    }
  } catch {}
  throw invalidCursor();
}

export async function getPlan({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<ImportPlan> {
  const plan = await findPlan(ctx.db, ctx.tenant.id, id);
  if (!plan) throw new AppError("not_found", `No import plan ${id} in this tenant.`);
  return plan;
}

/** One page of a class's rows, in file order; `nextCursor` null on the last page. */
export async function pageRows(
  ctx: Pick<TenantCtx, "store">,
  plan: ImportPlan,
  input: { action: RowClass; cursor?: string; limit: number },
): Promise<{ items: PlanRow[]; nextCursor: string | null }> {
  let [file, offset] = decode(input.cursor);
  const files = plan.files[input.action];
  if (file > files) throw invalidCursor();
  const items: PlanRow[] = [];
  while (file < files && items.length < input.limit) {
    // Read only as far as the page goes: an object's reader stops once a row is left over.
    let index = 0;
    let more = false;
    for await (const rows of planObject(ctx.store, plan, input.action, file).rows()) {
      for (const row of rows) {
        if (index >= offset && items.length >= input.limit) {
          more = true;
          break;
        }
        if (index >= offset) items.push(row);
        index += 1;
      }
      if (more) break;
    }
    if (more) offset = index;
    else {
      file += 1;
      offset = 0;
    }
  }
  return { items, nextCursor: file < files ? encode(file, offset) : null };
}

export async function listPlanRows({
  ctx,
  id,
  input,
}: {
  ctx: TenantCtx;
  id: string;
  input: { action: RowClass; cursor?: string; limit: number };
}) {
  return pageRows(ctx, await getPlan({ ctx, id }), input);
}

/** The plan summary: counts, the first page of each class and the links to page on. */
export async function planSummary(ctx: Pick<TenantCtx, "store">, plan: ImportPlan) {
  const base = `/v1/imports/plans/${plan.id}`;
  const rows = {} as Record<RowClass, { items: PlanRow[]; nextCursor: string | null; next: string | null }>;
  for (const action of rowClasses) {
    const page = await pageRows(ctx, plan, { action, limit: firstPageSize });
    const next = page.nextCursor ? `${base}/rows?action=${action}&cursor=${page.nextCursor}` : null;
    rows[action] = { ...page, next };
  }
  return {
    id: plan.id,
    kind: plan.kind,
    format: plan.format,
    source: { sha256: plan.sourceSha256, name: plan.sourceName },
    mapping: plan.mapping,
    options: plan.options,
    onConflict: plan.onConflict,
    importerVersion: plan.importerVersion,
    bundleVersion: plan.bundleVersion,
    watermark: plan.watermark,
    counts: plan.counts,
    grantsAdmin: plan.grantsAdmin,
    decisionId: plan.decisionId,
    receiptId: plan.receiptId,
    manifestDigest: plan.manifestDigest,
    createdAt: plan.createdAt.toISOString(),
    rows,
    links: {
      self: base,
      rows: Object.fromEntries(rowClasses.map((a) => [a, `${base}/rows?action=${a}`])),
      manifest: `${base}/manifest`,
      manifestCsv: `${base}/manifest?format=csv`,
      commit: `${base}/commit`,
    },
  };
}

export type PlanSummary = Awaited<ReturnType<typeof planSummary>>;
