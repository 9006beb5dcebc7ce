/**
 * Command transitions inside a caller's transaction: requested/awaiting_approval →
 * dispatched → succeeded / failed / cancelled. A finished command that belongs to a
 * runbook run moves its run on.
 */
import type { Actor, TenantCtx } from "../../context/context";
import type { Command, CommandStatus, Role } from "../../db/schema";
import { AppError } from "../../errors/app-error";
import type { OpsAction } from "../events/record";
import { findExecutor } from "../executors/executors-repo";
import { onCommandFinished } from "../runbook-runs/advance";
import { moveCommand } from "./commands-repo";
import { addEffects, type Effects, noEffects } from "./effects";

export const subjectOf = (c: Pick<Command, "id">) => `command:${c.id}`;

/** Who asked for the command: the queue and released run steps act for them. */
export const requesterOf = (c: Command): Actor => ({
  type: c.requestedByType as Actor["type"],
  id: c.requestedById,
  role: c.requestedByRole as Role,
});

export const actingAs = <C extends TenantCtx>(ctx: C, actor: Actor): C => ({ ...ctx, actor });

/** To the executor (webhook) when the tenant has one, else to an operator's recorded outcome. */
export async function dispatchInTx(
  tx: TenantCtx,
  command: Command,
): Promise<{ command: Command; effects: Effects }> {
  const executor = await findExecutor(tx.db, tx.tenant.id);
  const mode = executor ? "webhook" : "manual";
  const now = tx.clock.now();
  const moved = await moveCommand(tx.db, tx.tenant.id, command.id, ["requested", "awaiting_approval"], {
    status: "dispatched",
    dispatchMode: mode,
    dispatchedAt: now,
    updatedAt: now,
  });
  if (!moved) throw new AppError("conflict", `Command ${command.id} is already ${command.status}.`);
  const action: OpsAction = {
    kind: "command.dispatched",
    subject: subjectOf(command),
    facts: { id: command.id, mode },
    details: { mode },
  };
  return {
    command: moved,
    effects: { actions: [action], enqueue: mode === "webhook" ? [command.id] : [], release: [] },
  };
}

export interface Finish {
  status: Extract<CommandStatus, "succeeded" | "failed" | "cancelled">;
  outcome?: Record<string, unknown>;
  error?: string;
  /** Facts that make this finish its own receipt (e.g. the attempt, the decision). */
  facts?: Record<string, unknown>;
}

export async function finishInTx(
  tx: TenantCtx,
  command: Command,
  finish: Finish,
  from: readonly CommandStatus[] = ["requested", "awaiting_approval", "dispatched"],
): Promise<{ command: Command; effects: Effects }> {
  const now = tx.clock.now();
  const moved = await moveCommand(tx.db, tx.tenant.id, command.id, from, {
    status: finish.status,
    outcome: finish.outcome ?? null,
    error: finish.error ?? null,
    finishedAt: now,
    updatedAt: now,
  });
  if (!moved)
    throw new AppError(
      "conflict",
      `Command ${command.id} is ${command.status}; it cannot become ${finish.status}.`,
    );
  const effects = noEffects();
  effects.actions.push({
    kind: `command.${finish.status}`,
    subject: subjectOf(command),
    facts: { id: command.id, status: finish.status, error: finish.error ?? null, ...finish.facts },
    details: {
      attempts: moved.attemptCount,
      ...(finish.error ? { error: finish.error } : {}),
      ...(moved.runId ? { runId: moved.runId } : {}),
    },
  });
  if (moved.runId) addEffects(effects, await onCommandFinished(tx, moved));
  return { command: moved, effects };
}
