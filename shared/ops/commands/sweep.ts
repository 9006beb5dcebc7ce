/**
 * The `command-sweep` cron task. A webhook command is committed `dispatched` and its first
 * `command.dispatch` message is sent after the commit (settle.ts): a crash in between leaves
 * it dispatched with no message and no delivery attempt, for ever. Once the grace period has
 * passed the sweep sends attempt 1 again. Repeating it is safe: deliver.ts claims the attempt
 * row (command, attempt) before calling the executor, so a message that was only late, or a
 * sweep that sends twice, still reaches the executor once.
 */
import type { Ctx } from "../../context/context";
import { stuckWebhookCommands } from "./commands-repo";

/** Longer than a queue normally takes to deliver, so a message merely in flight is left to arrive. */
export const sweepGraceSeconds = 120;
const batch = 200;

export async function sweepStuckCommands(ctx: Ctx): Promise<{ resent: number }> {
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
  return { resent: stuck.length };
}
