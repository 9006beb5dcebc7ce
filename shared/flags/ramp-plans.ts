/**
 * Ramp plans: a flag's ramp goes through percentage steps (5 → 25 → 50 → 100), each held at
 * least `minDwellMinutes`, advanced by the cron only while the guardrails hold. A guardrail
 * compares the tenants inside the ramp with those outside over the current step: the 5xx rate
 * (request telemetry rollups) and the policy-deny rate (stored decisions). A breach pauses the
 * plan and leaves a `flag.ramp.paused` receipt naming the guardrail and by how much.
 */
import type { Ctx, TenantCtx } from "../context/context";
import type { RampGuardrails, RampPlan } from "../db/schema";
import { AppError } from "../errors/app-error";
import { STAFF_TENANT_SLUG } from "../identity/staff";
import { newId } from "../ids/ids";
import { appendReceipt } from "../receipts/append";
import { findTenantBySlug } from "../tenants/tenant-repo";
import { inRollout } from "./bucketing";
import { applyFlagChange } from "./flag-changes";
import { findFlagRow } from "./flag-repo";
import { gateFlagChange } from "./flags";
import {
  findActiveRampPlan,
  findLatestRampPlan,
  insertRampPlan,
  listActiveRampPlans,
  listTenantIds,
  type Rates,
  ratesOf,
  updateRampPlan,
} from "./ramp-repo";

export const defaultGuardrails: RampGuardrails = { max5xxRateDelta: 0.02, maxDenyRateDelta: 0.05 };

export async function createRampPlan({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { key: string; steps: number[]; minDwellMinutes: number; guardrails?: Partial<RampGuardrails> };
}): Promise<{ plan: RampPlan; receiptId: string | null }> {
  const decision = await gateFlagChange(ctx, input.key);
  const steps = input.steps;
  if (steps.some((s, i) => i > 0 && s <= (steps[i - 1] ?? 0))) {
    throw new AppError("unprocessable", "Ramp steps must rise strictly, e.g. [5, 25, 50, 100].");
  }
  const flag = await findFlagRow(ctx.db, input.key);
  if (!flag) throw new AppError("not_found", `No flag '${input.key}'.`);
  if (!flag.config.rollout) {
    throw new AppError(
      "unprocessable",
      `Flag '${input.key}' has no rollout to ramp: set its rollout variants first.`,
    );
  }
  if (await findActiveRampPlan(ctx.db, input.key)) {
    throw new AppError("conflict", `Flag '${input.key}' already has an active ramp plan.`);
  }
  const now = ctx.clock.now();
  const plan = await insertRampPlan(ctx.db, {
    id: newId("ramp"),
    flagKey: input.key,
    steps,
    stepIndex: 0,
    minDwellMinutes: input.minDwellMinutes,
    guardrails: { ...defaultGuardrails, ...input.guardrails },
    status: "active",
    stepStartedAt: now,
    createdBy: `${ctx.actor.type}:${ctx.actor.id}`,
    createdAt: now,
  });
  const first = steps[0] ?? 0;
  const change = await applyFlagChange(ctx, {
    key: input.key,
    change: "ramp.advanced",
    decisionId: decision.id,
    build: (current) => {
      const config = current?.config ?? flag.config;
      return { ...config, rollout: config.rollout ? { ...config.rollout, percentage: first } : null };
    },
    details: { rampPlanId: plan.id, step: 0, percentage: first },
  });
  return { plan, receiptId: change.receiptId };
}

export async function getRampPlan({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { key: string };
}): Promise<RampPlan> {
  const plan = await findLatestRampPlan(ctx.db, input.key);
  if (!plan) throw new AppError("not_found", `Flag '${input.key}' has no ramp plan.`);
  return plan;
}

const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

export interface GuardrailReading {
  guardrail: "5xx_rate" | "deny_rate";
  inside: number;
  outside: number;
  delta: number;
  limit: number;
  breached: boolean;
}

export function readGuardrails(inside: Rates, outside: Rates, limits: RampGuardrails): GuardrailReading[] {
  const read = (guardrail: GuardrailReading["guardrail"], a: number, b: number, limit: number) => {
    const delta = Number((a - b).toFixed(6));
    return {
      guardrail,
      inside: Number(a.toFixed(6)),
      outside: Number(b.toFixed(6)),
      delta,
      limit,
      breached: delta > limit,
    };
  };
  return [
    read(
      "5xx_rate",
      rate(inside.errors5xx, inside.requests),
      rate(outside.errors5xx, outside.requests),
      limits.max5xxRateDelta,
    ),
    read(
      "deny_rate",
      rate(inside.denies, inside.decisions),
      rate(outside.denies, outside.decisions),
      limits.maxDenyRateDelta,
    ),
  ];
}

/** The cron task: every active plan whose step has dwelt long enough advances, or pauses on a breach. */
export async function advanceRampPlans(
  ctx: Ctx,
): Promise<{ advanced: string[]; paused: string[]; completed: string[] }> {
  const out = { advanced: [] as string[], paused: [] as string[], completed: [] as string[] };
  const plans = await listActiveRampPlans(ctx.db);
  if (plans.length === 0) return out;
  const staff = await findTenantBySlug(ctx.db, STAFF_TENANT_SLUG);
  if (!staff) return out;
  const staffCtx: TenantCtx = {
    ...ctx,
    tenant: { id: staff.id, slug: staff.slug, name: staff.name },
    actor: { type: "system", id: "ramp-plans", role: "flag-admin" },
  };
  const now = ctx.clock.now();
  const tenantIds = (await listTenantIds(ctx.db)).filter((id) => id !== staff.id);
  for (const plan of plans) {
    if (now.getTime() - plan.stepStartedAt.getTime() < plan.minDwellMinutes * 60_000) continue;
    const flag = await findFlagRow(ctx.db, plan.flagKey);
    const rollout = flag?.config.rollout;
    if (!flag || !rollout) continue;
    const percentage = rollout.percentage;
    const sticky = (id: string) => flag.config.tenantOverrides[id] === undefined;
    const inside = tenantIds.filter((id) => sticky(id) && inRollout(id, flag.key, percentage));
    const outside = tenantIds.filter((id) => sticky(id) && !inRollout(id, flag.key, percentage));
    const readings = readGuardrails(
      await ratesOf(ctx.db, inside, plan.stepStartedAt, now),
      await ratesOf(ctx.db, outside, plan.stepStartedAt, now),
      plan.guardrails,
    );
    const breach = readings.find((r) => r.breached);
    if (breach) {
      const reason = { ...breach, percentage, tenantsInside: inside.length, tenantsOutside: outside.length };
      const { receipt } = await appendReceipt({
        ctx: staffCtx,
        input: {
          kind: "flag.ramp.paused",
          subject: `flag:${plan.flagKey}`,
          input: { rampPlanId: plan.id, step: plan.stepIndex, at: now.toISOString() },
          details: {
            key: plan.flagKey,
            rampPlanId: plan.id,
            step: plan.stepIndex,
            by: Number((breach.delta - breach.limit).toFixed(6)),
            readings,
            ...reason,
          },
        },
      });
      await updateRampPlan(ctx.db, plan.id, {
        status: "paused",
        pauseReason: { ...reason, receiptId: receipt.id },
      });
      out.paused.push(plan.id);
      continue;
    }
    const nextIndex = plan.stepIndex + 1;
    const next = plan.steps[nextIndex];
    if (next === undefined) {
      await updateRampPlan(ctx.db, plan.id, { status: "completed" });
      out.completed.push(plan.id);
      continue;
    }
    await applyFlagChange(staffCtx, {
      key: plan.flagKey,
      change: "ramp.advanced",
      build: (current) => {
        const config = current?.config ?? flag.config;
        return { ...config, rollout: config.rollout ? { ...config.rollout, percentage: next } : null };
      },
      details: { rampPlanId: plan.id, step: nextIndex, percentage: next, readings },
    });
    const last = nextIndex === plan.steps.length - 1;
    await updateRampPlan(ctx.db, plan.id, {
      stepIndex: nextIndex,
      stepStartedAt: now,
      status: last ? "completed" : "active",
    });
    out.advanced.push(plan.id);
  }
  return out;
}
