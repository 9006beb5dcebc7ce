/**
 * A suspended tenant's background work stops: the consumer parks its queue messages instead
 * of running them (no command reaches its executor, no import chunk applies), and the
 * `resume-parked-jobs` cron task sends them again once the tenant is reactivated. Every
 * consumer step is idempotent, so a message parked, resumed and delivered twice still acts once.
 */
import { createHash } from "node:crypto";
import type { Ctx } from "../context/context";
import { findTenantById } from "../tenants/tenant-repo";
import type { JobMessage } from "./messages";
import { deleteParkedJob, parkedJobsOfActiveTenants, parkJob } from "./parked-jobs-repo";

/** True when the message's tenant is suspended: the message is parked and must not run now. */
export async function parkIfSuspended(ctx: Pick<Ctx, "db" | "clock" | "logger">, message: JobMessage) {
  const tenant = await findTenantById(ctx.db, message.tenantId);
  if (tenant?.status !== "suspended") return false;
  const id = `pj_${createHash("sha256").update(JSON.stringify(message)).digest("hex").slice(0, 40)}`;
  await parkJob(ctx.db, {
    id,
    tenantId: tenant.id,
    type: message.type,
    body: message,
    parkedAt: ctx.clock.now(),
  });
  ctx.logger.info("job parked: tenant suspended", {
    tenantId: tenant.id,
    type: message.type,
    parkedJobId: id,
  });
  return true;
}

/** The `resume-parked-jobs` cron task: re-sends parked messages of tenants active again, then forgets them. */
export async function resumeParkedJobs(
  ctx: Pick<Ctx, "db" | "queue" | "logger">,
): Promise<{ resumed: number }> {
  const due = await parkedJobsOfActiveTenants(ctx.db, 500);
  for (const job of due) {
    // Sent before it is forgotten: a crash in between resends it, which the consumer tolerates.
    await ctx.queue.send(job.body as JobMessage);
    await deleteParkedJob(ctx.db, job.id);
  }
  if (due.length > 0) ctx.logger.info("parked jobs resumed", { count: due.length });
  return { resumed: due.length };
}
