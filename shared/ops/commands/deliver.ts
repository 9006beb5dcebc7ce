/**
 * The `command.dispatch` queue message: one attempt to deliver a command to the tenant's
 * executor. At least once: the attempt row (command, attempt_no) is claimed first, so a
 * duplicate delivery does not call the executor twice. A retry is a new message for the
 * next attempt, sent (with backoff) before this attempt is recorded: nothing is lost if the
 * worker dies in between. The last failed attempt fails the command, with every attempt kept.
 */
import type { Ctx, TenantCtx } from "../../context/context";
import type { Command, Executor } from "../../db/schema";
import { newId } from "../../ids/ids";
import { findTenantById } from "../../tenants/tenant-repo";
import { gated } from "../events/gated";
import { findExecutor } from "../executors/executors-repo";
import { claimAttempt, findAttempt, findCommand, finishAttempt, raiseAttemptCount } from "./commands-repo";
import { type CallResult, callExecutor, verdictOf } from "./executor-call";
import { finishInTx, requesterOf } from "./lifecycle";
import { settleEffects } from "./settle";

/** An attempt still `sending` this long past its timeout belonged to a worker that died. */
const lostAfterMs = 15_000;

export async function deliverCommand({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { tenantId: string; commandId: string; attempt: number };
}): Promise<void> {
  const tenant = await findTenantById(ctx.db, input.tenantId);
  const command = tenant && (await findCommand(ctx.db, tenant.id, input.commandId));
  if (!tenant || !command || command.status !== "dispatched" || command.dispatchMode !== "webhook") return;
  // The queue acts for whoever asked for the command, as imports act for their committer.
  const tctx: TenantCtx = {
    ...ctx,
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    actor: requesterOf(command),
  };
  const executor = await findExecutor(ctx.db, tenant.id);
  if (!executor) {
    const none = {
      statusCode: null,
      error: "the tenant's executor was removed",
      durationMs: 0,
      body: null,
      refused: false,
    };
    return conclude(tctx, command, input.attempt, null, none, "failed");
  }
  const attemptId = newId("att");
  const startedAt = ctx.clock.now();
  const row = { id: attemptId, tenantId: tenant.id, commandId: command.id, attemptNo: input.attempt };
  if (!(await claimAttempt(ctx.db, { ...row, outcome: "sending", startedAt }))) {
    const taken = await findAttempt(ctx.db, tenant.id, command.id, input.attempt);
    const lost =
      taken?.outcome === "sending" &&
      startedAt.getTime() - taken.startedAt.getTime() > executor.timeoutMs + lostAfterMs;
    if (!taken || !lost) return; // a duplicate delivery: the first one owns this attempt
    const gone = {
      statusCode: null,
      error: "no outcome recorded (the worker was lost)",
      durationMs: 0,
      body: null,
      refused: false,
    };
    return conclude(tctx, command, input.attempt, { executor, attemptId: taken.id }, gone, "retry");
  }
  const result = await callExecutor(tctx, executor, command, input.attempt);
  return conclude(tctx, command, input.attempt, { executor, attemptId }, result, verdictOf(result));
}

async function conclude(
  ctx: TenantCtx,
  command: Command,
  attempt: number,
  claimed: { executor: Executor; attemptId: string } | null,
  result: CallResult,
  verdict: "succeeded" | "failed" | "retry",
): Promise<void> {
  const finishedAt = ctx.clock.now();
  const recorded = {
    statusCode: result.statusCode,
    error: result.error,
    durationMs: result.durationMs,
    finishedAt,
  };
  if (verdict === "retry" && claimed && attempt < claimed.executor.maxAttempts) {
    const delaySeconds = claimed.executor.backoffSeconds * 2 ** (attempt - 1);
    const next = {
      v: 1 as const,
      type: "command.dispatch" as const,
      tenantId: ctx.tenant.id,
      commandId: command.id,
    };
    await ctx.queue.send({ ...next, attempt: attempt + 1 }, { delaySeconds });
    await finishAttempt(ctx.db, ctx.tenant.id, claimed.attemptId, { outcome: "retry", ...recorded });
    await raiseAttemptCount(ctx.db, ctx.tenant.id, command.id, attempt);
    return;
  }
  const status = verdict === "succeeded" ? "succeeded" : "failed";
  const resource = { type: "Command" as const, id: command.id, tenantId: ctx.tenant.id };
  const done = await gated(ctx, { action: "runCommand", resource }, async (tx) => {
    if (claimed)
      await finishAttempt(tx.db, ctx.tenant.id, claimed.attemptId, { outcome: status, ...recorded });
    await raiseAttemptCount(tx.db, ctx.tenant.id, command.id, attempt);
    const error =
      status === "failed"
        ? `attempt ${attempt}: ${result.error ?? `executor answered ${result.statusCode}`}`
        : undefined;
    const outcome = status === "succeeded" ? { statusCode: result.statusCode, body: result.body } : undefined;
    const { effects } = await finishInTx(
      tx,
      command,
      { status, error, outcome, facts: { attempt, by: "executor" } },
      ["dispatched"],
    );
    return { result: effects, actions: effects.actions };
  });
  await settleEffects(ctx, { ...done.result, actions: [] });
}
