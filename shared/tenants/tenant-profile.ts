/**
 * A tenant's own settings, changed by its admins: for now its display name. A setup change like
 * the others (Cedar `configure`, a receipt in the same transaction).
 */
import type { TenantCtx, TenantRef } from "../context/context";
import type { Tenant } from "../db/schema";
import { AppError } from "../errors/app-error";
import { applySetupChange } from "./setup-change";
import { updateTenantName } from "./tenant-repo";

export async function renameTenant({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { name: string };
}): Promise<{ tenant: TenantRef; receiptId: string }> {
  const { result, receiptId } = await applySetupChange<Tenant>(ctx, {
    kind: "tenant.renamed",
    subject: (tenant) => `tenant:${tenant.id}`,
    facts: (tenant) => ({ name: tenant.name, previous: ctx.tenant.name }),
    apply: async (db) => {
      const renamed = await updateTenantName(db, ctx.tenant.id, input.name);
      if (!renamed) throw new AppError("not_found", "This tenant no longer exists.");
      return renamed;
    },
  });
  return { tenant: { id: result.id, slug: result.slug, name: result.name }, receiptId };
}
