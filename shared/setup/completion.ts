/**
 * Completing steps from the receipt log. Idempotent and safe to race: for each step not yet
 * proven, the first receipt of its kinds is looked up; the caller that inserts (or, over an
 * admin's mark, updates) the step's row writes its `setup.step.done` receipt in the same
 * transaction, and any other caller finds the row and does nothing. The receipt's id is
 * derived from the step and its proof, so even a retried write finds the same receipt.
 * The same function is the backfill: a log that already holds the proof completes the step.
 */
import type { Ctx, TenantCtx, TenantRef } from "../context/context";
import { appendReceipt } from "../receipts/append";
import {
  firstReceiptOf,
  insertStepIfAbsent,
  listSetupSteps,
  replaceManualStep,
  setStepReceipt,
  tenantsWithOpenSteps,
} from "./setup-repo";
import { type SetupStepDefinition, setupSteps } from "./steps";

export const setupActor = { type: "system", id: "setup-checklist", role: "viewer" } as const;

/** Proves every step the log can prove; returns the steps completed by this call. */
export async function completeSetupFromLog({ ctx }: { ctx: Pick<TenantCtx, "db" | "clock" | "tenant"> }) {
  const rows = await listSetupSteps(ctx.db, ctx.tenant.id);
  const proven = new Set(rows.filter((r) => r.source === "event").map((r) => r.step));
  const manual = new Set(rows.filter((r) => r.source === "manual").map((r) => r.step));
  const completed: string[] = [];
  for (const step of setupSteps) {
    if (proven.has(step.key)) continue;
    const proof = await firstReceiptOf(ctx.db, ctx.tenant.id, step.proofKinds);
    if (!proof) continue;
    if (await recordProof(ctx, step, proof, manual.has(step.key))) completed.push(step.key);
  }
  return completed;
}

async function recordProof(
  ctx: Pick<TenantCtx, "db" | "clock" | "tenant">,
  step: SetupStepDefinition,
  proof: { id: string; kind: string; actor: string; occurredAt: Date },
  overManualMark: boolean,
): Promise<boolean> {
  return ctx.db.transaction(async (db) => {
    const row = {
      tenantId: ctx.tenant.id,
      step: step.key,
      state: "done" as const,
      source: "event" as const,
      proofReceiptId: proof.id,
      doneAt: proof.occurredAt,
      doneBy: proof.actor,
      receiptId: "",
      reason: null,
    };
    // The row first: it is the lock two racing callers meet on, taken before the log's.
    const written = overManualMark ? await replaceManualStep(db, row) : await insertStepIfAbsent(db, row);
    if (!written) return false;
    const { receipt } = await appendReceipt({
      ctx: { ...ctx, db, actor: setupActor },
      input: {
        kind: "setup.step.done",
        subject: `setup:${step.key}`,
        input: { step: step.key, proofReceiptId: proof.id },
        links: [proof.id],
        details: { step: step.key, source: "event", proofKind: proof.kind, proofActor: proof.actor },
      },
    });
    await setStepReceipt(db, ctx.tenant.id, step.key, receipt.id);
    return true;
  });
}

/** The `setup-checklist` cron task: completes steps from the log for tenants with steps still open. */
export async function completeSetupForTenants(ctx: Ctx): Promise<{ tenants: number; completed: number }> {
  const open = await tenantsWithOpenSteps(ctx.db, setupSteps.length, 500);
  let completed = 0;
  for (const tenant of open) {
    const tenantRef: TenantRef = tenant;
    completed += (await completeSetupFromLog({ ctx: { ...ctx, tenant: tenantRef } })).length;
  }
  return { tenants: open.length, completed };
}
