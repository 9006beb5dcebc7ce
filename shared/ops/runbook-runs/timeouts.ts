/**
 * The `step-timeouts` cron task: a step still waiting (for its approval, an operator or its
 * command) past its runbook `timeout` fails, and its run with it; what was still open on the
 * run is closed (end.ts). A clock event, not a caller's action: no Cedar decision, but
 * receipts and telemetry events (actor `system:step-timeout`), as for approval expiry.
 */
import type { Ctx, TenantCtx } from "../../context/context";
import { findTenantById } from "../../tenants/tenant-repo";
import { settleEffects } from "../commands/settle";
import { recordOpsAction } from "../events/record";
import { runSubject, terminal } from "./advance";
import { endRunInTx } from "./end";
import { findRun, listSteps, overdueSteps, waitingStepStatuses } from "./runs-repo";

const waiting: ReadonlySet<string> = new Set(waitingStepStatuses);
const batch = 200;

export async function failTimedOutSteps(ctx: Ctx): Promise<{ timedOut: number }> {
  const now = ctx.clock.now();
  let timedOut = 0;
  for (const due of await overdueSteps(ctx.db, now, batch)) {
    const tenant = await findTenantById(ctx.db, due.tenantId);
    if (!tenant) continue;
    const tctx: TenantCtx = {
      ...ctx,
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      actor: { type: "system", id: "step-timeout", role: "viewer" },
    };
    const effects = await ctx.db.transaction(async (db) => {
      const tx = { ...tctx, db };
      const run = await findRun(db, tenant.id, due.runId, true);
      if (!run || terminal.has(run.status)) return null;
      const step = (await listSteps(db, tenant.id, run.id)).find((s) => s.stepNo === due.stepNo);
      if (!step?.deadlineAt || !waiting.has(step.status) || step.deadlineAt > now) return null;
      const why = `step "${step.stepKey}" timed out after ${step.timeoutSeconds} s (${step.status})`;
      const deadlineAt = step.deadlineAt.toISOString();
      const expired = {
        kind: "runbook_run.step_timed_out",
        subject: runSubject(run),
        facts: { id: run.id, step: step.stepKey, deadlineAt },
        details: { step: step.stepKey, timeoutSeconds: step.timeoutSeconds, deadlineAt, was: step.status },
      };
      const ended = await endRunInTx(tx, run, { to: "failed", why, facts: { step: step.stepKey } });
      for (const action of [expired, ...ended.actions]) await recordOpsAction(tx, action);
      return ended;
    });
    if (!effects) continue;
    timedOut += 1;
    await settleEffects(tctx, { ...effects, actions: [] });
  }
  return { timedOut };
}
