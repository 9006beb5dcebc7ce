/**
 * pilot-ops is read-only. An unsafe request by staff is refused before any route runs, and the
 * refusal is Cedar's: `write` on the tenant the request targets, which `pilot-ops-read-only`
 * forbids. So it is a stored decision and a `policy.denied` receipt in that tenant's log, and
 * the 403 names both, like any deny.
 */
import type { TenantCtx } from "../context/context";
import { AppError } from "../errors/app-error";
import { enforce } from "../policy/authorize";

export async function refuseStaffWrite({ ctx }: { ctx: TenantCtx }): Promise<never> {
  await enforce({
    ctx,
    input: { action: "write", resource: { type: "Tenant", id: ctx.tenant.id, tenantId: ctx.tenant.id } },
  });
  // Only reached if a policy edit ever allowed it: staff still never write.
  throw new AppError("forbidden", "pilot-ops credentials are read-only.");
}
