/**
 * Ending a run that is still in progress (cancelled by an operator, failed by a step
 * timeout), inside the caller's transaction: the run and its waiting step take the end
 * status, and the work still open on it is closed: pending approvals are cancelled, commands
 * not yet dispatched are cancelled. A command already at an executor or an operator is left to
 * finish; the run no longer moves when it does (onCommandFinished).
 */
import type { TenantCtx } from "../../context/context";
import type { RunbookRun } from "../../db/schema";
import { cancelApprovalInTx } from "../approvals/cancel";
import { undispatchedRunCommands } from "../commands/commands-repo";
import { type Effects, noEffects } from "../commands/effects";
import { finishInTx } from "../commands/lifecycle";
import type { OpsAction } from "../events/record";
import { runSubject } from "./advance";
import { listSteps, updateRun, updateStep, waitingStepStatuses } from "./runs-repo";

const waiting: ReadonlySet<string> = new Set(waitingStepStatuses);

export async function endRunInTx(
  tx: TenantCtx,
  run: RunbookRun,
  end: { to: "failed" | "cancelled"; why: string; facts?: Record<string, unknown> },
): Promise<Effects> {
  const effects = noEffects();
  const now = tx.clock.now();
  // The run ends first, so the commands cancelled below do not move it again.
  await updateRun(tx.db, tx.tenant.id, run.id, { status: end.to, finishedAt: now, updatedAt: now });
  const closing: OpsAction[] = [];
  const cancelApproval = async (approvalId: string, why: string) => {
    const cancelled = await cancelApprovalInTx(tx, approvalId);
    if (!cancelled) return;
    closing.push({
      kind: "approval.cancelled",
      subject: `approval:${approvalId}`,
      facts: { id: approvalId, runId: run.id },
      details: { why, runId: run.id },
    });
  };
  const steps = await listSteps(tx.db, tx.tenant.id, run.id);
  for (const step of steps.filter((s) => waiting.has(s.status))) {
    await updateStep(tx.db, tx.tenant.id, run.id, step.stepNo, {
      status: end.to,
      finishedAt: now,
      note: end.why,
    });
    if (step.status === "awaiting_approval" && step.approvalId)
      await cancelApproval(step.approvalId, end.why);
  }
  for (const command of await undispatchedRunCommands(tx.db, tx.tenant.id, run.id)) {
    const finish = { status: "cancelled" as const, error: end.why, facts: { runId: run.id, by: "run" } };
    const finished = await finishInTx(tx, command, finish, ["requested", "awaiting_approval"]);
    closing.push(...finished.effects.actions);
    if (command.approvalId) await cancelApproval(command.approvalId, end.why);
  }
  effects.actions.push(...closing, {
    kind: `runbook_run.${end.to}`,
    subject: runSubject(run),
    facts: { id: run.id, why: end.why, ...end.facts },
    details: { why: end.why, ...end.facts },
  });
  return effects;
}
