/**
 * The error manifest out: the signed JWS as stored, or a CSV of the rejected rows. For a CSV
 * source the CSV is the source's own header plus `reason`, each rejected row with its
 * original values (the source is re-read), so the partner fixes it and imports it again;
 * cells are formula-neutralised by writeCsv. Other formats get one line per reject.
 */
import type { TenantCtx } from "../../../context/context";
import type { ImportPlan } from "../../../db/schema";
import { AppError } from "../../../errors/app-error";
import { openCsv } from "../../read/csv-reader";
import { type CsvCell, writeCsv } from "../../read/csv-writer";
import { planRows } from "../plan/plan-store";
import { findPlan } from "../plan/plans-repo";
import { openSource } from "../sources/sources";
import { findSource } from "../sources/sources-repo";
import type { PlanRow } from "../types";
import { getImportRow } from "../views/import-view";

export async function manifestJws(ctx: Pick<TenantCtx, "store">, plan: ImportPlan): Promise<string> {
  const object = await ctx.store.get(plan.manifestKey);
  if (!object) throw new AppError("not_found", `The manifest of plan ${plan.id} is no longer stored.`);
  return object.text();
}

export async function planOfImport(ctx: Pick<TenantCtx, "db" | "tenant">, importId: string) {
  const imp = await getImportRow(ctx, importId);
  const plan = await findPlan(ctx.db, ctx.tenant.id, imp.planId);
  if (!plan) throw new AppError("not_found", `Import ${importId} has no plan.`);
  return plan;
}

const reasonOf = (row: PlanRow) => {
  const e = row.error;
  const where = e?.column ? ` ${e.column}` : "";
  return `row ${row.row}${where}: ${e?.code ?? "rejected"}: ${e?.message ?? ""}${e?.hint ? ` ${e.hint}` : ""}`;
};

async function rejects(ctx: Pick<TenantCtx, "store">, plan: ImportPlan): Promise<PlanRow[]> {
  const out: PlanRow[] = [];
  for await (const rows of planRows(ctx.store, plan, "reject")) out.push(...rows);
  return out.sort((a, b) => a.row - b.row);
}

export async function manifestCsv(
  ctx: Pick<TenantCtx, "db" | "store" | "tenant" | "importLimits">,
  plan: ImportPlan,
) {
  const rejected = await rejects(ctx, plan);
  const source = await findSource(ctx.db, ctx.tenant.id, plan.sourceSha256);
  if (plan.format !== "csv" || !source) {
    const headers = ["row", "key", "field", "code", "message", "hint", "decisionId"];
    const lines: CsvCell[][] = rejected.map((r) => [
      r.row,
      r.key,
      r.error?.column,
      r.error?.code,
      r.error?.message,
      r.error?.hint,
      r.decisionId,
    ]);
    return writeCsv(headers, lines);
  }
  const byRow = new Map<number, PlanRow>(rejected.map((r) => [r.row, r]));
  const table = await openCsv(await openSource(ctx, source), ctx.importLimits);
  const lines: CsvCell[][] = [];
  const found = new Set<number>();
  for await (const result of table.rows) {
    if (!result.ok) continue;
    const reject = byRow.get(result.row);
    if (!reject) continue;
    found.add(result.row);
    lines.push([...result.cells, reasonOf(reject)]);
  }
  // Rows the reader itself refused (ragged) have no cells to give back: their reason still says which.
  for (const reject of rejected) {
    if (!found.has(reject.row)) lines.push([...table.headers.map(() => ""), reasonOf(reject)]);
  }
  return writeCsv([...table.headers, "reason"], lines);
}

export async function getPlanManifest({ ctx, id }: { ctx: TenantCtx; id: string }) {
  const plan = await findPlan(ctx.db, ctx.tenant.id, id);
  if (!plan) throw new AppError("not_found", `No import plan ${id} in this tenant.`);
  return plan;
}
