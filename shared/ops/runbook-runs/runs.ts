/**
 * Runbook runs (Cedar `launchRunbook` on the Runbook, operators): launch for an incident or
 * on its own, read status and step history, complete a manual step. Steps advance in order
 * (advance.ts); each transition leaves a receipt and a telemetry event.
 */
import type { TenantCtx } from "../../context/context";
import { AppError } from "../../errors/app-error";
import { newId } from "../../ids/ids";
import type { RunbookFields } from "../../imports/importers/runbooks/schema";
import { decodeCursor, pageOf } from "../../pagination/cursor";
import { actorRef } from "../../receipts/receipt-id";
import { settleEffects } from "../commands/settle";
import { gated } from "../events/gated";
import { findIncident } from "../incidents/incidents-repo";
import { mustFind as mustFindRunbook } from "../runbooks/runbooks";
import { advanceRun } from "./advance";
import { fillParams, resolveInputs } from "./inputs";
import { runView } from "./run-view";
import { findRun, insertRun, listRunRows, listSteps, updateStep } from "./runs-repo";

type Scalar = string | number | boolean | null;

export async function launchRun({
  ctx,
  runbookId,
  input,
}: {
  ctx: TenantCtx;
  runbookId: string;
  input: { incidentId?: string; inputs: Record<string, Scalar> };
}) {
  const runbook = await mustFindRunbook(ctx, runbookId);
  const fields = runbook.content as unknown as RunbookFields;
  const values = resolveInputs(fields, input.inputs);
  if (input.incidentId && !(await findIncident(ctx.db, ctx.tenant.id, input.incidentId))) {
    throw new AppError("unprocessable", `No incident ${input.incidentId} in this tenant.`);
  }
  const id = newId("run");
  const resource = { type: "Runbook" as const, id: runbook.id, tenantId: ctx.tenant.id };
  const done = await gated(ctx, { action: "launchRunbook", resource }, async (tx) => {
    const now = ctx.clock.now();
    const steps = fields.steps.map((s, stepNo) => ({
      tenantId: ctx.tenant.id,
      runId: id,
      stepNo,
      stepKey: s.id,
      title: s.title,
      kind: s.kind,
      requiresApproval: s.requiresApproval,
      timeoutSeconds: s.timeoutSeconds ?? null,
      spec: s.kind === "command" ? { command: s.command, params: fillParams(s.params ?? {}, values) } : {},
    }));
    const run = await insertRun(
      tx.db,
      {
        id,
        tenantId: ctx.tenant.id,
        runbookId: runbook.id,
        runbookKey: runbook.key,
        runbookVersion: runbook.currentVersion,
        incidentId: input.incidentId ?? null,
        inputs: values,
        status: "running",
        startedByType: ctx.actor.type,
        startedById: ctx.actor.id,
        startedByRole: ctx.actor.role,
        createdAt: now,
        updatedAt: now,
      },
      steps,
    );
    const launched = {
      kind: "runbook_run.launched",
      subject: `runbook_run:${id}`,
      facts: { id, runbook: runbook.key, version: runbook.currentVersion, inputs: values },
      details: { runbookId: runbook.id, version: runbook.currentVersion, incidentId: run.incidentId },
    };
    const effects = await advanceRun(tx, id);
    return { result: effects, actions: [launched, ...effects.actions] };
  });
  await settleEffects(ctx, { ...done.result, actions: [] });
  return { run: await getRun({ ctx, id }), receiptId: done.receiptId, decisionId: done.decisionId };
}

async function mustFind(ctx: TenantCtx, id: string) {
  const row = await findRun(ctx.db, ctx.tenant.id, id);
  if (!row) throw new AppError("not_found", `No runbook run ${id} in this tenant.`);
  return row;
}

export async function getRun({ ctx, id }: { ctx: TenantCtx; id: string }) {
  const run = await mustFind(ctx, id);
  return runView(run, await listSteps(ctx.db, ctx.tenant.id, id));
}

export async function listRuns({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string };
}) {
  const rows = await listRunRows(ctx.db, ctx.tenant.id, { ...input, after: decodeCursor(input.cursor) });
  const page = pageOf(rows, input.limit);
  return { items: page.items.map((r) => runView(r)), nextCursor: page.nextCursor };
}

/** An operator says a manual step is done; the run moves on. */
export async function completeStep({
  ctx,
  id,
  stepKey,
  input,
}: {
  ctx: TenantCtx;
  id: string;
  stepKey: string;
  input: { note?: string };
}) {
  const run = await mustFind(ctx, id);
  const step = (await listSteps(ctx.db, ctx.tenant.id, id)).find((s) => s.stepKey === stepKey);
  if (!step) throw new AppError("not_found", `Run ${id} has no step "${stepKey}".`);
  if (step.status !== "awaiting_operator") {
    throw new AppError(
      "conflict",
      `Step "${stepKey}" is ${step.status}; only a manual step awaiting an operator is completed by hand.`,
    );
  }
  const resource = { type: "Runbook" as const, id: run.runbookId, tenantId: ctx.tenant.id };
  const done = await gated(ctx, { action: "launchRunbook", resource }, async (tx) => {
    const current = (await listSteps(tx.db, ctx.tenant.id, id)).find((s) => s.stepNo === step.stepNo);
    if (current?.status !== "awaiting_operator")
      throw new AppError("conflict", `Step "${stepKey}" was completed meanwhile.`);
    const now = ctx.clock.now();
    const by = actorRef(ctx.actor);
    await updateStep(tx.db, ctx.tenant.id, id, step.stepNo, {
      status: "completed",
      completedBy: by,
      note: input.note ?? null,
      finishedAt: now,
    });
    const completed = {
      kind: "runbook_run.step_completed",
      subject: `runbook_run:${id}`,
      facts: { id, step: stepKey, by },
      details: { step: stepKey, note: input.note ?? null },
    };
    const effects = await advanceRun(tx, id);
    return { result: effects, actions: [completed, ...effects.actions] };
  });
  await settleEffects(ctx, { ...done.result, actions: [] });
  return { run: await getRun({ ctx, id }), receiptId: done.receiptId, decisionId: done.decisionId };
}
