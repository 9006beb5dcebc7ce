/** What a decided (or expired) approval does to its subject, inside the same transaction. */
import type { TenantCtx } from "../../context/context";
import type { Approval } from "../../db/schema";
import { findCommand } from "../commands/commands-repo";
import { type Effects, noEffects } from "../commands/effects";
import { dispatchInTx, finishInTx } from "../commands/lifecycle";
import { onStepApproval } from "../runbook-runs/advance";

export async function onApprovalSettled(tx: TenantCtx, approval: Approval): Promise<Effects> {
  if (approval.subjectType === "runbook_step") return onStepApproval(tx, approval);
  const command = await findCommand(tx.db, tx.tenant.id, approval.subjectId, true);
  if (command?.status !== "awaiting_approval") return noEffects();
  if (approval.status === "approved") return (await dispatchInTx(tx, command)).effects;
  const why =
    approval.status === "expired" ? "approval expired" : `approval denied: ${approval.reason ?? ""}`;
  const finish = { status: "cancelled" as const, error: why, facts: { approvalId: approval.id } };
  return (await finishInTx(tx, command, finish, ["awaiting_approval"])).effects;
}
