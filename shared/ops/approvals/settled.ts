/** What a decided (or expired) approval does to its subject, inside the same transaction. */
import type { TenantCtx } from "../../context/context";
import type { Approval } from "../../db/schema";
import { findCommand } from "../commands/commands-repo";
import { type Effects, noEffects } from "../commands/effects";
import { dispatchInTx, finishInTx } from "../commands/lifecycle";
import { onStepApproval } from "../runbook-runs/advance";
import { findRun } from "../runbook-runs/runs-repo";

/**
 * Takes the lock of the run an approval belongs to (its step's run, or its command's run),
 * before the approval's own: cancelling a run locks the run and then its approvals, so
 * settling an approval in the other order could deadlock with it.
 */
export async function lockRunOf(tx: Pick<TenantCtx, "db" | "tenant">, approval: Approval): Promise<void> {
  const runId =
    approval.subjectType === "runbook_step"
      ? approval.subjectId.split("/")[0]
      : (await findCommand(tx.db, tx.tenant.id, approval.subjectId))?.runId;
  if (runId) await findRun(tx.db, tx.tenant.id, runId, true);
}

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
