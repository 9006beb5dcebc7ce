/**
 * The scheduled work, run by the Workers cron trigger and by a timer on Node.
 * Each task is independent: one failing is recorded and does not stop the others, unless
 * it failed because the database or the store is unreachable: then the run ends there (the
 * others would fail the same way) and the caller backs off.
 */
import type { Ctx } from "../context/context";
import { advanceRampPlans } from "../flags/ramp-plans";
import { resumeParkedJobs } from "../jobs/parking";
import { expireApprovals } from "../ops/approvals/expire";
import { sweepStuckCommands } from "../ops/commands/sweep";
import { failTimedOutSteps } from "../ops/runbook-runs/timeouts";
import { isUnavailable } from "../platform/unavailable";
import { checkpointGrownLogs } from "../receipts/checkpoints";
import { completeSetupForTenants } from "../setup/completion";
import { pruneTelemetry } from "../telemetry/retention";
import { recheckDomains } from "../tenants/domain-verification";
import { recordCronFinish, recordCronStart } from "./cron-repo";
import { housekeeping } from "./housekeeping";

export type ScheduledTask = (ctx: Ctx) => Promise<Record<string, unknown>>;

/** Tasks by name. Later capabilities (checkpoints, parity, SLAs) register here. */
export const scheduledTasks: Record<string, ScheduledTask> = {
  heartbeat: async (ctx) => ({ at: ctx.clock.now().toISOString(), runtime: ctx.runtime }),
  checkpoints: (ctx) => checkpointGrownLogs({ ctx }),
  "approval-expiry": (ctx) => expireApprovals(ctx),
  housekeeping: (ctx) => housekeeping(ctx),
  "step-timeouts": (ctx) => failTimedOutSteps(ctx),
  "command-sweep": (ctx) => sweepStuckCommands(ctx),
  "setup-checklist": (ctx) => completeSetupForTenants(ctx),
  "ramp-plans": (ctx) => advanceRampPlans(ctx),
  "domain-checks": (ctx) => recheckDomains(ctx),
  "telemetry-retention": (ctx) => pruneTelemetry(ctx),
  "resume-parked-jobs": (ctx) => resumeParkedJobs(ctx),
};

export async function runScheduled({ ctx, cron }: { ctx: Ctx; cron: string }) {
  const results: Record<string, { ok: boolean; result?: unknown; error?: string }> = {};
  for (const [task, run] of Object.entries(scheduledTasks)) {
    await recordCronStart(ctx.db, task, ctx.clock.now());
    try {
      const result = await run(ctx);
      results[task] = { ok: true, result };
    } catch (error) {
      if (isUnavailable(error)) throw error;
      results[task] = { ok: false, error: String(error) };
      ctx.logger.error("scheduled task failed", { task, cron, error: String(error) });
    }
    await recordCronFinish(ctx.db, task, ctx.clock.now(), results[task]);
  }
  return results;
}
