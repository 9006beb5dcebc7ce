/**
 * `POST /v1/feedback`: any member tells us what went wrong (or right), linked to what happened.
 * A receipt or decision id must be the tenant's own (another tenant's answers the 404 of a
 * missing one); a receipt's decision is linked without being named. Leaves `feedback.submitted`.
 */
import type { TenantCtx } from "../context/context";
import type { Feedback } from "../db/schema";
import { AppError } from "../errors/app-error";
import { newId } from "../ids/ids";
import { enforce } from "../policy/authorize";
import { findDecision } from "../policy/decision-repo";
import { appendReceipt } from "../receipts/append";
import { findReceipt } from "../receipts/log-repo";
import { actorRef } from "../receipts/receipt-id";
import { type LinkedFeedback, linkedView } from "./feedback-read";
import { insertFeedback } from "./feedback-repo";

export interface SubmitFeedbackInput {
  kind: Feedback["kind"];
  message: string;
  screen: string;
  actionId: string;
  decisionId?: string;
  receiptId?: string;
  /** The request that sent it: the canonical id when no receipt is linked. */
  requestId?: string;
}

export async function submitFeedback({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: SubmitFeedbackInput;
}): Promise<LinkedFeedback> {
  const gate = await enforce({
    ctx,
    input: {
      action: "sendFeedback",
      resource: { type: "Tenant", id: ctx.tenant.id, tenantId: ctx.tenant.id },
    },
  });
  const receipt = input.receiptId ? await findReceipt(ctx.db, ctx.tenant.id, input.receiptId) : undefined;
  if (input.receiptId && !receipt)
    throw new AppError("not_found", `No receipt ${input.receiptId} in this tenant.`);
  const decisionId = input.decisionId ?? receipt?.decisionId ?? undefined;
  const decision = decisionId ? await findDecision(ctx.db, ctx.tenant.id, decisionId) : undefined;
  if (input.decisionId && !decision)
    throw new AppError("not_found", `No decision ${input.decisionId} in this tenant.`);

  const id = newId("fb");
  const now = ctx.clock.now();
  const links = [receipt?.id, decision?.id].filter((x): x is string => x !== undefined);
  const row = await ctx.db.transaction(async (db) => {
    const { receipt: submitted } = await appendReceipt({
      ctx: { ...ctx, db },
      input: {
        kind: "feedback.submitted",
        subject: `feedback:${id}`,
        input: { id, kind: input.kind, screen: input.screen, actionId: input.actionId, links },
        decisionId: gate.id,
        links,
        details: {
          kind: input.kind,
          screen: input.screen,
          actionId: input.actionId,
          requestId: input.requestId ?? null,
        },
      },
    });
    return insertFeedback(db, {
      id,
      tenantId: ctx.tenant.id,
      kind: input.kind,
      message: input.message,
      screen: input.screen,
      actionId: input.actionId,
      actionKind: receipt?.kind ?? null,
      decisionId: decision?.id ?? null,
      receiptId: receipt?.id ?? null,
      actor: actorRef(ctx.actor),
      requestId: input.requestId ?? null,
      submittedReceiptId: submitted.id,
      createdAt: now,
    });
  });
  return linkedView(ctx, row, { receipt, decision });
}
