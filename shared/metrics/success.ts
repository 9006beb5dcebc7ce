/**
 * `GET /v1/metrics/success`: how the tenant's pilot is going, counted exactly from its receipt
 * log (and its feedback), each figure with the links that list what it counts. Definitions are
 * in docs/activation.md.
 */
import type { TenantCtx } from "../context/context";
import { AppError } from "../errors/app-error";
import { completeSetupFromLog } from "../setup/completion";
import { listSetupSteps } from "../setup/setup-repo";
import { setupSteps } from "../setup/steps";
import { findTenantById } from "../tenants/tenant-repo";
import {
  approvalCycle,
  dryRunPasses,
  firstReceiptAt,
  frictionPerScreen,
  weeklyActiveActors,
  weeklyIncidentsWithRuns,
  weeklyKindCounts,
} from "./success-repo";

const dayMs = 86_400_000;

/** Monday 00:00 UTC of the ISO week holding `at`. */
export function isoWeekStart(at: Date): Date {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const sinceMonday = (at.getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * dayMs);
}

const timeline = (kind: string | null, from: Date, to: Date) =>
  `/v1/timeline?${kind ? `kind=${kind}&` : ""}from=${from.toISOString()}&to=${to.toISOString()}`;
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);

export async function successMetrics({ ctx, input }: { ctx: TenantCtx; input: { weeks: number } }) {
  const tenant = await findTenantById(ctx.db, ctx.tenant.id);
  if (!tenant) throw new AppError("not_found", "This tenant no longer exists.");
  const now = ctx.clock.now();
  const to = new Date(isoWeekStart(now).getTime() + 7 * dayMs);
  const from = new Date(to.getTime() - input.weeks * 7 * dayMs);
  const db = ctx.db;
  const id = ctx.tenant.id;

  await completeSetupFromLog({ ctx });
  const rows = new Map((await listSetupSteps(db, id)).map((r) => [r.step, r]));
  const created = tenant.createdAt.getTime();
  const steps = setupSteps.map((s) => {
    const row = rows.get(s.key);
    return {
      step: s.key,
      state: (row?.state ?? "pending") as "pending" | "done" | "skipped",
      at: row?.doneAt.toISOString() ?? null,
      secondsSinceTenantCreated: row ? Math.round((row.doneAt.getTime() - created) / 1000) : null,
      receiptId: row?.proofReceiptId ?? row?.receiptId ?? null,
    };
  });

  const firstCommand = await firstReceiptAt(db, id, "command.requested");
  const kinds = await weeklyKindCounts(
    db,
    id,
    ["approval.approved", "approval.denied", "runbook_run.launched"],
    from,
    to,
  );
  const active = new Map((await weeklyActiveActors(db, id, from, to)).map((r) => [r.week, r.n]));
  const incidents = new Map((await weeklyIncidentsWithRuns(db, id, from, to)).map((r) => [r.week, r]));
  const countOf = (week: string, ...of: string[]) =>
    kinds.filter((k) => k.week === week && of.includes(k.kind)).reduce((sum, k) => sum + k.n, 0);

  const weekly = Array.from({ length: input.weeks }, (_, i) => {
    const start = new Date(from.getTime() + i * 7 * dayMs);
    const end = new Date(start.getTime() + 7 * dayMs);
    const key = start.toISOString().slice(0, 10);
    const inc = incidents.get(key);
    return {
      week: key,
      activeOperators: { value: active.get(key) ?? 0, links: [timeline(null, start, end)] },
      approvals: {
        value: countOf(key, "approval.approved", "approval.denied"),
        links: [timeline("approval.approved", start, end), timeline("approval.denied", start, end)],
      },
      incidents: {
        value: inc?.n ?? 0,
        withRunbookRun: inc?.withRun ?? 0,
        runbookRunShare: ratio(inc?.withRun ?? 0, inc?.n ?? 0),
        links: [timeline("incident.opened", start, end), timeline("runbook_run.launched", start, end)],
      },
      runbookRuns: {
        value: countOf(key, "runbook_run.launched"),
        links: [timeline("runbook_run.launched", start, end)],
      },
    };
  });

  const cycle = await approvalCycle(db, id, from, to);
  const dryRuns = await dryRunPasses(db, id, from, to);
  const friction = await frictionPerScreen(db, id, from, to);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    weeks: input.weeks,
    activation: {
      done: steps.filter((s) => s.state === "done").length,
      total: steps.length,
      steps,
      links: ["/v1/setup/checklist", `/v1/timeline?kind=setup.step.done`],
    },
    timeToFirstCommand: {
      seconds: firstCommand ? Math.round((firstCommand.getTime() - created) / 1000) : null,
      links: ["/v1/timeline?kind=command.requested"],
    },
    weekly,
    approvalCycle: {
      decided: cycle.n,
      medianSeconds: cycle.p50 === null ? null : cycle.p50 / 1000,
      p90Seconds: cycle.p90 === null ? null : cycle.p90 / 1000,
      links: [timeline("approval.approved", from, to), timeline("approval.denied", from, to)],
    },
    imports: {
      dryRuns: dryRuns.n,
      passed: dryRuns.passed,
      passRate: ratio(dryRuns.passed, dryRuns.n),
      links: [timeline("import.planned", from, to)],
    },
    frictionPerScreen: friction.map((f) => ({
      screen: f.screen,
      count: f.n,
      links: [
        `/v1/feedback?kind=friction&screen=${encodeURIComponent(f.screen)}&from=${from.toISOString()}&to=${to.toISOString()}`,
      ],
    })),
  };
}

export type SuccessMetrics = Awaited<ReturnType<typeof successMetrics>>;
