/**
 * Commands through the API (Cedar `runCommand`, operators): request, read, cancel, and
 * record the outcome of a command dispatched without an executor.
 */
import type { TenantCtx } from "../../context/context";
import type { CommandStatus } from "../../db/schema";
import { AppError } from "../../errors/app-error";
import { newId } from "../../ids/ids";
import { decodeCursor, pageOf } from "../../pagination/cursor";
import { authorize } from "../../policy/authorize";
import { cancelApprovalInTx } from "../approvals/cancel";
import { openApproval } from "../approvals/request";
import { gated } from "../events/gated";
import { findIncident } from "../incidents/incidents-repo";
import { commandView } from "./command-view";
import { findCommand, insertCommand, listAttempts, listCommandRows, moveCommand } from "./commands-repo";
import type { Effects } from "./effects";
import { dispatchInTx, finishInTx, subjectOf } from "./lifecycle";
import { settleEffects } from "./settle";

export interface CommandRequest {
  name: string;
  target: string;
  params: Record<string, unknown>;
  approvalTtlSeconds?: number;
  incidentId?: string;
}

const resource = (ctx: TenantCtx, id: string) => ({ type: "Command" as const, id, tenantId: ctx.tenant.id });

export async function requestCommand({ ctx, input }: { ctx: TenantCtx; input: CommandRequest }) {
  if (input.incidentId && !(await findIncident(ctx.db, ctx.tenant.id, input.incidentId))) {
    throw new AppError("unprocessable", `No incident ${input.incidentId} in this tenant.`);
  }
  const id = newId("cmd");
  const done = await gated(ctx, { action: "runCommand", resource: resource(ctx, id) }, async (tx) => {
    const { actor } = ctx;
    // Four eyes is policy (policies/four-eyes.cedar), on the command and its target: a deny
    // (or anything short of an allow) holds the command for another approver.
    const fourEyes = await authorize({
      ctx: tx,
      input: {
        action: "skipApproval",
        resource: resource(ctx, id),
        context: { name: input.name, target: input.target },
      },
    });
    const requiresApproval = fourEyes.decision !== "allow";
    let command = await insertCommand(tx.db, {
      id,
      tenantId: ctx.tenant.id,
      name: input.name,
      target: input.target,
      params: input.params,
      status: "requested",
      requiresApproval,
      incidentId: input.incidentId ?? null,
      requestedByType: actor.type,
      requestedById: actor.id,
      requestedByRole: actor.role,
      createdAt: ctx.clock.now(),
    });
    const approval = {
      required: requiresApproval,
      decisionId: fourEyes.id,
      rules: fourEyes.determiningPolicies,
    };
    const facts = { id, name: input.name, target: input.target, params: input.params, approval };
    const effects: Effects = {
      actions: [
        {
          kind: "command.requested",
          subject: subjectOf(command),
          facts,
          // The four-eyes decision is linked beside the runCommand one: why it did or did not wait.
          links: [fourEyes.id],
          details: { name: input.name, target: input.target, requiresApproval },
        },
      ],
      enqueue: [],
      release: [],
    };
    if (requiresApproval) {
      const { approval, action } = await openApproval(tx, {
        subjectType: "command",
        subjectId: id,
        summary: `${input.name} on ${input.target}`,
        requester: actor,
        ttlSeconds: input.approvalTtlSeconds,
      });
      const moved = await moveCommand(tx.db, ctx.tenant.id, id, ["requested"], {
        status: "awaiting_approval",
        approvalId: approval.id,
      });
      if (moved) command = moved;
      effects.actions.push(action);
    } else {
      const dispatched = await dispatchInTx(tx, command);
      command = dispatched.command;
      effects.actions.push(...dispatched.effects.actions);
      effects.enqueue.push(...dispatched.effects.enqueue);
    }
    return { result: { command, effects }, actions: effects.actions };
  });
  await settleEffects(ctx, { ...done.result.effects, actions: [] });
  return {
    command: commandView(done.result.command),
    receiptId: done.receiptId,
    decisionId: done.decisionId,
  };
}

async function mustFind(ctx: TenantCtx, id: string) {
  const row = await findCommand(ctx.db, ctx.tenant.id, id);
  if (!row) throw new AppError("not_found", `No command ${id} in this tenant.`);
  return row;
}

export async function getCommand({ ctx, id }: { ctx: TenantCtx; id: string }) {
  const row = await mustFind(ctx, id);
  return commandView(row, await listAttempts(ctx.db, ctx.tenant.id, id));
}

export async function listCommands({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; cursor?: string; status?: CommandStatus };
}) {
  const rows = await listCommandRows(ctx.db, ctx.tenant.id, { ...input, after: decodeCursor(input.cursor) });
  const page = pageOf(rows, input.limit);
  return { items: page.items.map((r) => commandView(r)), nextCursor: page.nextCursor };
}

/**
 * Cancel (before it reaches an executor) or record the outcome of a `manual` dispatch.
 * A webhook command's outcome is the executor's answer, never typed in.
 */
export async function settleCommand({
  ctx,
  id,
  input,
}: {
  ctx: TenantCtx;
  id: string;
  input: { status: "succeeded" | "failed" | "cancelled"; detail?: string };
}) {
  const found = await mustFind(ctx, id);
  const cancelling = input.status === "cancelled";
  const allowed = cancelling ? ["requested", "awaiting_approval"] : ["dispatched"];
  const okMode = cancelling || found.dispatchMode === "manual";
  if (!allowed.includes(found.status) || !okMode) {
    const why = cancelling
      ? "only a command not yet dispatched can be cancelled"
      : "only a command dispatched without an executor takes a recorded outcome";
    throw new AppError(
      "conflict",
      `Command ${id} is ${found.status} (${found.dispatchMode ?? "not dispatched"}): ${why}.`,
    );
  }
  const done = await gated(ctx, { action: "runCommand", resource: resource(ctx, id) }, async (tx) => {
    const detail = input.detail ?? null;
    const finish = cancelling
      ? { status: input.status, error: detail ?? "cancelled", facts: { by: "operator" } }
      : {
          status: input.status,
          outcome: { detail, recordedBy: `${ctx.actor.type}:${ctx.actor.id}` },
          error: input.status === "failed" ? (detail ?? "failed") : undefined,
          facts: { by: "operator" },
        };
    const { command, effects } = await finishInTx(tx, found, finish, allowed as CommandStatus[]);
    if (cancelling && found.approvalId) await cancelApprovalInTx(tx, found.approvalId);
    return { result: { command, effects }, actions: effects.actions };
  });
  await settleEffects(ctx, { ...done.result.effects, actions: [] });
  return {
    command: commandView(done.result.command),
    receiptId: done.receiptId,
    decisionId: done.decisionId,
  };
}
