/**
 * Moves a run through its steps in order, inside the caller's transaction, until it must
 * wait: for an approval (a step with requires_approval), an operator (a manual step) or a
 * command (a command step issues one for the run's starter; released after the commit).
 */
import type { TenantCtx } from "../../context/context";
import type { Approval, Command, RunbookRun, RunbookRunStep } from "../../db/schema";
import { newId } from "../../ids/ids";
import { openApproval } from "../approvals/request";
import { insertCommand } from "../commands/commands-repo";
import { type Effects, noEffects } from "../commands/effects";
import { findRun, listSteps, updateRun, updateStep } from "./runs-repo";

export const terminal = new Set(["succeeded", "failed", "cancelled"]);
export const runSubject = (run: Pick<RunbookRun, "id">) => `runbook_run:${run.id}`;

/** A step's timeout runs from when it first leaves `pending` (waiting for its approval counts). */
const deadlineOf = (step: RunbookRunStep, now: Date) =>
  step.deadlineAt ?? (step.timeoutSeconds ? new Date(now.getTime() + step.timeoutSeconds * 1000) : null);

export async function advanceRun(tx: TenantCtx, runId: string): Promise<Effects> {
  const effects = noEffects();
  const run = await findRun(tx.db, tx.tenant.id, runId, true);
  if (!run || terminal.has(run.status)) return effects;
  const now = tx.clock.now();
  const step = (await listSteps(tx.db, tx.tenant.id, runId)).find((s) => s.status !== "completed");
  if (!step) {
    await updateRun(tx.db, tx.tenant.id, runId, { status: "succeeded", finishedAt: now, updatedAt: now });
    effects.actions.push({ kind: "runbook_run.succeeded", subject: runSubject(run), facts: { id: runId } });
    return effects;
  }
  if (step.status !== "pending") return effects; // already waiting on its approval, operator or command
  const started = { kind: "runbook_run.step_started", subject: runSubject(run) };
  const facts = { id: runId, step: step.stepKey };
  if (step.requiresApproval && !step.approvalId) {
    const { approval, action } = await openApproval(tx, {
      subjectType: "runbook_step",
      subjectId: `${runId}/${step.stepNo}`,
      summary: `${step.title} (run ${runId}, step ${step.stepKey})`,
      requester: { type: run.startedByType, id: run.startedById },
    });
    await updateStep(tx.db, tx.tenant.id, runId, step.stepNo, {
      status: "awaiting_approval",
      approvalId: approval.id,
      deadlineAt: deadlineOf(step, now),
    });
    await updateRun(tx.db, tx.tenant.id, runId, { status: "waiting", updatedAt: now });
    effects.actions.push(action);
    return effects;
  }
  if (step.kind === "manual") {
    await updateStep(tx.db, tx.tenant.id, runId, step.stepNo, {
      status: "awaiting_operator",
      startedAt: now,
      deadlineAt: deadlineOf(step, now),
    });
    await updateRun(tx.db, tx.tenant.id, runId, { status: "waiting", updatedAt: now });
    effects.actions.push({
      ...started,
      facts: { ...facts, kind: "manual" },
      details: { step: step.stepKey },
    });
    return effects;
  }
  const command = await issueStepCommand(tx, run, step);
  await updateStep(tx.db, tx.tenant.id, runId, step.stepNo, {
    status: "running",
    commandId: command.id,
    startedAt: now,
    deadlineAt: deadlineOf(step, now),
  });
  await updateRun(tx.db, tx.tenant.id, runId, { status: "running", updatedAt: now });
  effects.actions.push({
    ...started,
    facts: { ...facts, commandId: command.id },
    details: { step: step.stepKey, commandId: command.id },
  });
  effects.actions.push({
    kind: "command.requested",
    subject: `command:${command.id}`,
    facts: { id: command.id, name: command.name, target: command.target, params: command.params, runId },
    details: { name: command.name, target: command.target, runId },
  });
  effects.release.push(command.id);
  return effects;
}

async function issueStepCommand(tx: TenantCtx, run: RunbookRun, step: RunbookRunStep): Promise<Command> {
  const params = (step.spec.params ?? {}) as Record<string, unknown>;
  const target = String(params.target ?? params.service ?? `runbook:${run.runbookKey}`);
  return insertCommand(tx.db, {
    id: newId("cmd"),
    tenantId: tx.tenant.id,
    name: String(step.spec.command),
    target,
    params,
    status: "requested",
    incidentId: run.incidentId,
    runId: run.id,
    requestedByType: run.startedByType,
    requestedById: run.startedById,
    requestedByRole: run.startedByRole,
    createdAt: tx.clock.now(),
  });
}

/** A step's approval was decided or expired: approved → the step runs; else the run stops. */
export async function onStepApproval(tx: TenantCtx, approval: Approval): Promise<Effects> {
  const [runId = "", stepNo = ""] = approval.subjectId.split("/");
  if (approval.status === "approved") {
    await updateStep(tx.db, tx.tenant.id, runId, Number(stepNo), { status: "pending" });
    return advanceRun(tx, runId);
  }
  const why =
    approval.status === "expired" ? "approval expired" : `approval denied: ${approval.reason ?? ""}`;
  return stopRun(tx, runId, Number(stepNo), "cancelled", why);
}

/**
 * A run's command finished: succeeded → the next step; failed or cancelled → the run fails.
 * A run already over (cancelled, or failed by a step timeout) is not moved again.
 */
export async function onCommandFinished(tx: TenantCtx, command: Command): Promise<Effects> {
  if (!command.runId) return noEffects();
  const run = await findRun(tx.db, tx.tenant.id, command.runId);
  if (!run || terminal.has(run.status)) return noEffects();
  const step = (await listSteps(tx.db, tx.tenant.id, command.runId)).find((s) => s.commandId === command.id);
  if (!step) return noEffects();
  const now = tx.clock.now();
  if (command.status === "succeeded") {
    await updateStep(tx.db, tx.tenant.id, command.runId, step.stepNo, {
      status: "completed",
      finishedAt: now,
    });
    return advanceRun(tx, command.runId);
  }
  return stopRun(tx, command.runId, step.stepNo, "failed", `command ${command.id} ${command.status}`);
}

async function stopRun(
  tx: TenantCtx,
  runId: string,
  stepNo: number,
  to: "failed" | "cancelled",
  why: string,
) {
  const effects = noEffects();
  const now = tx.clock.now();
  await updateStep(tx.db, tx.tenant.id, runId, stepNo, { status: to, finishedAt: now, note: why });
  await updateRun(tx.db, tx.tenant.id, runId, { status: to, finishedAt: now, updatedAt: now });
  effects.actions.push({
    kind: `runbook_run.${to}`,
    subject: `runbook_run:${runId}`,
    facts: { id: runId, stepNo, why },
    details: { why },
  });
  return effects;
}
