/**
 * The `command-sweep` cron task. A webhook command is committed `dispatched` and its first
 * `command.dispatch` message is sent after the commit (settle.ts): a crash in between leaves
 * it dispatched with no message and no delivery attempt, for ever. Once the grace period has
 * passed the sweep sends attempt 1 again. Repeating it is safe: deliver.ts claims the attempt
 * row (command, attempt) before calling the executor, so a message that was only late, or a
 * sweep that sends twice, still reaches the executor once.
 *
 * A runbook's command step is released (Cedar `runCommand` as the run's starter, then
 * dispatched) after the launch commits: a crash in between leaves the command `requested`.
 * The sweep releases such commands too; releasing one already released does nothing.
 */
import type { Ctx } from "../../context/context";
import { findTenantById } from "../../tenants/tenant-repo";
import { stuckWebhookCommands, unreleasedRunCommands } from "./commands-repo";
import { requesterOf } from "./lifecycle";
import { releaseCommand } from "./settle";

/** Longer than a queue normally takes to deliver, so a message merely in flight is left to arrive. */
export const sweepGraceSeconds = 120;
const batch = 200;

export async function sweepStuckCommands(ctx: Ctx): Promise<{ resent: number; released: number }> {
  const before = new Date(ctx.clock.now().getTime() - sweepGraceSeconds * 1000);
  const stuck = await stuckWebhookCommands(ctx.db, before, batch);
  for (const command of stuck) {
    const { tenantId, id: commandId } = command;
    await ctx.queue.send({ v: 1, type: "command.dispatch", tenantId, commandId, attempt: 1 });
    ctx.logger.warn("re-sent a dispatched command with no delivery attempt", {
      tenantId,
      commandId,
      dispatchedAt: command.dispatchedAt?.toISOString() ?? null,
    });
  }
  const unreleased = await unreleasedRunCommands(ctx.db, before, batch);
  let released = 0;
  for (const command of unreleased) {
    const tenant = await findTenantById(ctx.db, command.tenantId);
    if (!tenant) continue;
    const tenantCtx = {
      ...ctx,
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      actor: requesterOf(command),
    };
    const where = { tenantId: command.tenantId, commandId: command.id, runId: command.runId };
    try {
      await releaseCommand(tenantCtx, command.id);
      released += 1;
      ctx.logger.warn("released a runbook step's command left requested", where);
    } catch (error) {
      // One command that cannot be released must not hold back the others; the next tick retries it.
      ctx.logger.error("could not release a runbook step's command", { ...where, error: String(error) });
    }
  }
  return { resent: stuck.length, released };
}
