/** After a transition commits: send the queue messages, release run-issued commands. */
import type { TenantCtx } from "../../context/context";
import { isAppError } from "../../errors/app-error";
import { gated } from "../events/gated";
import { recordOpsAction } from "../events/record";
import { findCommand } from "./commands-repo";
import type { Effects } from "./effects";
import { actingAs, dispatchInTx, finishInTx, requesterOf } from "./lifecycle";

export async function settleEffects(ctx: TenantCtx, effects: Effects): Promise<void> {
  for (const commandId of effects.enqueue) {
    await ctx.queue.send({ v: 1, type: "command.dispatch", tenantId: ctx.tenant.id, commandId, attempt: 1 });
  }
  for (const commandId of effects.release) await releaseCommand(ctx, commandId);
}

/**
 * A runbook's command step issues a command for the run's starter: it passes Cedar
 * `runCommand` as them, like any command. A deny fails the command (and so the step).
 */
export async function releaseCommand(ctx: TenantCtx, id: string): Promise<void> {
  const command = await findCommand(ctx.db, ctx.tenant.id, id);
  if (command?.status !== "requested") return;
  const asRequester = actingAs(ctx, requesterOf(command));
  const resource = { type: "Command" as const, id, tenantId: ctx.tenant.id };
  try {
    const done = await gated(asRequester, { action: "runCommand", resource }, async (tx) => {
      const { effects } = await dispatchInTx(tx, command);
      return { result: effects, actions: effects.actions };
    });
    await settleEffects(ctx, { ...done.result, actions: [] });
  } catch (error) {
    if (!isAppError(error) || error.code !== "forbidden") throw error;
    const decisionId = String(error.extras.decisionId ?? "");
    const effects = await ctx.db.transaction(async (db) => {
      const tx = { ...asRequester, db };
      const { effects } = await finishInTx(tx, command, {
        status: "failed",
        error: error.message,
        facts: { decisionId },
      });
      for (const action of effects.actions) await recordOpsAction(tx, { ...action, decisionId });
      return effects;
    });
    await settleEffects(ctx, { ...effects, actions: [] });
  }
}
