/**
 * Suspending and reactivating a tenant: a platform engineer's act (`npm run admin`), never a
 * tenant API. While suspended, the tenant's credentials get 403 `tenant_suspended`; staff can
 * still read it. Each change leaves a receipt in the tenant's own log, by the platform.
 */
import type { Ctx } from "../context/context";
import type { Tenant } from "../db/schema";
import { AppError } from "../errors/app-error";
import { appendReceipt } from "../receipts/append";
import { findTenantBySlug, updateTenantStatus } from "./tenant-repo";

export async function setTenantStatus({
  ctx,
  input,
}: {
  ctx: Pick<Ctx, "db" | "clock">;
  input: { slug: string; status: Tenant["status"]; reason?: string };
}): Promise<{ tenant: Tenant; changed: boolean; receiptId?: string }> {
  const tenant = await findTenantBySlug(ctx.db, input.slug);
  if (!tenant) throw new AppError("not_found", `No tenant with the slug ${input.slug}.`);
  if (tenant.status === input.status) return { tenant, changed: false };
  return ctx.db.transaction(async (db) => {
    const updated = (await updateTenantStatus(db, tenant.id, input.status)) ?? tenant;
    const at = ctx.clock.now();
    const { receipt } = await appendReceipt({
      ctx: {
        db,
        clock: ctx.clock,
        tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
        actor: { type: "system", id: "platform", role: "admin" },
      },
      input: {
        kind: input.status === "suspended" ? "tenant.suspended" : "tenant.reactivated",
        subject: `tenant:${tenant.id}`,
        input: { status: input.status, at: at.toISOString() },
        details: { reason: input.reason ?? null },
      },
    });
    return { tenant: updated, changed: true, receiptId: receipt.id };
  });
}
