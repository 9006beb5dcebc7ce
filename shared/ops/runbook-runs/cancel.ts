/**
 * Cancelling a run (Cedar `launchRunbook` on its runbook, operators: whoever may start a run
 * may stop one, as they complete its manual steps). Its pending approvals and the commands it
 * issued that are not yet dispatched are cancelled with it (end.ts); each leaves a receipt.
 */
import type { TenantCtx } from "../../context/context";
import { AppError } from "../../errors/app-error";
import { actorRef } from "../../receipts/receipt-id";
import { settleEffects } from "../commands/settle";
import { gated } from "../events/gated";
import { terminal } from "./advance";
import { endRunInTx } from "./end";
import { getRun } from "./runs";
import { findRun } from "./runs-repo";

export async function cancelRun({
  ctx,
  id,
  input,
}: {
  ctx: TenantCtx;
  id: string;
  input: { reason?: string };
}) {
  const run = await findRun(ctx.db, ctx.tenant.id, id);
  if (!run) throw new AppError("not_found", `No runbook run ${id} in this tenant.`);
  const resource = { type: "Runbook" as const, id: run.runbookId, tenantId: ctx.tenant.id };
  const done = await gated(ctx, { action: "launchRunbook", resource }, async (tx) => {
    const current = await findRun(tx.db, ctx.tenant.id, id, true);
    if (!current || terminal.has(current.status)) {
      const at = current?.finishedAt ? ` at ${current.finishedAt.toISOString()}` : "";
      throw new AppError(
        "conflict",
        `Runbook run ${id} already ${current?.status ?? "ended"}${at}; only a run in progress can be cancelled.`,
      );
    }
    const by = actorRef(ctx.actor);
    const reason = input.reason ?? null;
    const why = reason ? `cancelled by ${by}: ${reason}` : `cancelled by ${by}`;
    const effects = await endRunInTx(tx, current, { to: "cancelled", why, facts: { by, reason } });
    return { result: effects, actions: effects.actions };
  });
  await settleEffects(ctx, { ...done.result, actions: [] });
  return { run: await getRun({ ctx, id }), receiptId: done.receiptId, decisionId: done.decisionId };
}
