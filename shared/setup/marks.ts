/**
 * An admin's hand on the checklist: mark a step done or skip it (a reason is required and
 * kept on the receipt), or undo that mark. Each is Cedar `configure` on the tenant and leaves
 * a receipt (`setup.step.done` / `setup.step.skipped` with `source: manual`, `setup.step.reopened`).
 * A step a real event proved is never marked or undone: its receipt stands.
 */
import type { TenantCtx } from "../context/context";
import { AppError } from "../errors/app-error";
import { enforce } from "../policy/authorize";
import { appendReceipt } from "../receipts/append";
import { actorRef } from "../receipts/receipt-id";
import { deleteManualStep, findSetupStep, insertStepIfAbsent, setStepReceipt } from "./setup-repo";
import type { SetupStepKey } from "./steps";

export interface MarkInput {
  step: SetupStepKey;
  state: "done" | "skipped";
  reason: string;
}

const configureTenant = (ctx: TenantCtx) =>
  enforce({
    ctx,
    input: { action: "configure", resource: { type: "Tenant", id: ctx.tenant.id, tenantId: ctx.tenant.id } },
  });

function alreadyFinished(step: string, existing: { state: string; source: string; receiptId: string }) {
  return new AppError(
    "conflict",
    existing.source === "event"
      ? `Step ${step} is already done, proven by a receipt; it cannot be marked.`
      : `Step ${step} is already marked ${existing.state}; undo that mark first.`,
    existing.receiptId ? { receiptId: existing.receiptId } : {},
  );
}

export async function markSetupStep({ ctx, input }: { ctx: TenantCtx; input: MarkInput }) {
  const decision = await configureTenant(ctx);
  return ctx.db.transaction(async (db) => {
    const now = ctx.clock.now();
    const inserted = await insertStepIfAbsent(db, {
      tenantId: ctx.tenant.id,
      step: input.step,
      state: input.state,
      source: "manual",
      proofReceiptId: null,
      doneAt: now,
      doneBy: actorRef(ctx.actor),
      receiptId: "",
      reason: input.reason,
    });
    if (!inserted) {
      const existing = await findSetupStep(db, ctx.tenant.id, input.step);
      throw alreadyFinished(input.step, existing ?? { state: "done", source: "manual", receiptId: "" });
    }
    const { receipt } = await appendReceipt({
      ctx: { ...ctx, db },
      input: {
        kind: `setup.step.${input.state}`,
        subject: `setup:${input.step}`,
        input: { step: input.step, decisionId: decision.id, reason: input.reason },
        decisionId: decision.id,
        links: [decision.id],
        details: { step: input.step, source: "manual", reason: input.reason },
      },
    });
    await setStepReceipt(db, ctx.tenant.id, input.step, receipt.id);
    return { step: input.step, state: input.state, receiptId: receipt.id, decisionId: decision.id };
  });
}

export async function undoSetupMark({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { step: SetupStepKey; reason?: string };
}) {
  const decision = await configureTenant(ctx);
  return ctx.db.transaction(async (db) => {
    const removed = await deleteManualStep(db, ctx.tenant.id, input.step);
    if (!removed) {
      const existing = await findSetupStep(db, ctx.tenant.id, input.step);
      throw new AppError(
        "conflict",
        existing
          ? `Step ${input.step} was proven by a receipt, not marked by hand; there is nothing to undo.`
          : `Step ${input.step} is not marked; there is nothing to undo.`,
      );
    }
    const { receipt } = await appendReceipt({
      ctx: { ...ctx, db },
      input: {
        kind: "setup.step.reopened",
        subject: `setup:${input.step}`,
        input: { step: input.step, decisionId: decision.id, undoes: removed.receiptId },
        decisionId: decision.id,
        links: [decision.id, removed.receiptId],
        details: {
          step: input.step,
          undoes: removed.receiptId,
          previousState: removed.state,
          reason: input.reason ?? null,
        },
      },
    });
    return { step: input.step, receiptId: receipt.id, decisionId: decision.id };
  });
}
