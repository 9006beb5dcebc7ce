/**
 * The `approval-expiry` cron task: pending approvals past `expires_at` become `expired`,
 * their command is cancelled or their run step fails. A clock event, not a caller's action:
 * no Cedar decision, but a receipt (actor `system:approval-expiry`) for each.
 */
import type { Ctx, TenantCtx } from "../../context/context";
import { findTenantById } from "../../tenants/tenant-repo";
import { settleEffects } from "../commands/settle";
import { recordOpsAction } from "../events/record";
import { dueApprovals, settleApproval } from "./approvals-repo";
import { lockRunOf, onApprovalSettled } from "./settled";

export async function expireApprovals(ctx: Ctx): Promise<{ expired: number }> {
  const now = ctx.clock.now();
  let expired = 0;
  for (const due of await dueApprovals(ctx.db, now, 200)) {
    const tenant = await findTenantById(ctx.db, due.tenantId);
    if (!tenant) continue;
    const tctx: TenantCtx = {
      ...ctx,
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      actor: { type: "system", id: "approval-expiry", role: "viewer" },
    };
    const effects = await ctx.db.transaction(async (db) => {
      const tx = { ...tctx, db };
      const cycleMs = now.getTime() - due.createdAt.getTime();
      await lockRunOf(tx, due);
      const settled = await settleApproval(db, tenant.id, due.id, {
        status: "expired",
        decidedAt: now,
        cycleMs,
      });
      if (!settled) return null;
      const effects = await onApprovalSettled(tx, settled);
      const action = {
        kind: "approval.expired",
        subject: `approval:${due.id}`,
        facts: { id: due.id },
        details: { cycleMs },
      };
      for (const a of [action, ...effects.actions]) await recordOpsAction(tx, a);
      return effects;
    });
    if (!effects) continue;
    expired += 1;
    await settleEffects(tctx, { ...effects, actions: [] });
  }
  return { expired };
}
