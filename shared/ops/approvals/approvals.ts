/**
 * Approvals: approve or deny (Cedar `approve`, approvers). Four eyes is Cedar's: the
 * Approval is `in` its requester, and `approval-not-own-request` forbids deciding your own.
 * Cycle time (requested → decided) is kept on the approval and on its receipt.
 */
import type { Actor, TenantCtx } from "../../context/context";
import type { ApprovalStatus } from "../../db/schema";
import { AppError } from "../../errors/app-error";
import { decodeCursor, pageOf } from "../../pagination/cursor";
import { principalOf } from "../../policy/model";
import { actorRef } from "../../receipts/receipt-id";
import { settleEffects } from "../commands/settle";
import { gated } from "../events/gated";
import { approvalView } from "./approval-view";
import { findApproval, listApprovalRows, settleApproval } from "./approvals-repo";
import { lockRunOf, onApprovalSettled } from "./settled";

async function mustFind(ctx: TenantCtx, id: string) {
  const row = await findApproval(ctx.db, ctx.tenant.id, id);
  if (!row) throw new AppError("not_found", `No approval ${id} in this tenant.`);
  return row;
}

export async function getApproval({ ctx, id }: { ctx: TenantCtx; id: string }) {
  return approvalView(await mustFind(ctx, id));
}

export async function listApprovals({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string; status?: ApprovalStatus };
}) {
  const rows = await listApprovalRows(ctx.db, ctx.tenant.id, { ...input, after: decodeCursor(input.cursor) });
  const page = pageOf(rows, input.limit);
  return { items: page.items.map(approvalView), nextCursor: page.nextCursor };
}

export async function decideApproval({
  ctx,
  id,
  input,
}: {
  ctx: TenantCtx;
  id: string;
  input: { approve: boolean; reason?: string };
}) {
  const found = await mustFind(ctx, id);
  const owner = principalOf({ type: found.requestedByType as Actor["type"], id: found.requestedById });
  const resource = { type: "Approval" as const, id, tenantId: ctx.tenant.id, owner };
  const done = await gated(ctx, { action: "approve", resource }, async (tx, decisionId) => {
    const now = ctx.clock.now();
    if (found.status === "pending" && found.expiresAt <= now) {
      throw new AppError("conflict", `Approval ${id} expired at ${found.expiresAt.toISOString()}.`);
    }
    const cycleMs = now.getTime() - found.createdAt.getTime();
    await lockRunOf(tx, found);
    const settled = await settleApproval(tx.db, ctx.tenant.id, id, {
      status: input.approve ? "approved" : "denied",
      decidedBy: actorRef(ctx.actor),
      reason: input.reason ?? null,
      decisionId,
      decidedAt: now,
      cycleMs,
    });
    if (!settled) throw new AppError("conflict", `Approval ${id} is already ${found.status}.`);
    const effects = await onApprovalSettled(tx, settled);
    const decided = {
      kind: input.approve ? "approval.approved" : "approval.denied",
      subject: `approval:${id}`,
      facts: { id, approve: input.approve, reason: input.reason ?? null },
      details: { cycleMs, reason: input.reason ?? null, subject: approvalView(settled).subject },
    };
    return { result: { approval: settled, effects }, actions: [decided, ...effects.actions] };
  });
  await settleEffects(ctx, { ...done.result.effects, actions: [] });
  return {
    approval: approvalView(done.result.approval),
    receiptId: done.receiptId,
    decisionId: done.decisionId,
  };
}
